#pragma once
// A text file to run through the model, typed or chosen with "Browse…": the field of Run ▸
// Capture Activations and of the Sensitivity and Comparison views. The folder of the last file
// chosen is remembered for the next dialog. Beside it, the fields that say how much of the text.
#include <QString>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace salience::gui {

class TextFileField : public QWidget {
    Q_OBJECT
public:
    // `dialogTitle`: the file dialog's title.
    TextFileField(const QString& dialogTitle, QWidget* parent = nullptr);

    QString path() const;
    void setPath(const QString& path);
    QLineEdit* lineEdit() const { return m_edit; }
    QPushButton* browseButton() const { return m_browse; }

signals:
    void pathChanged(const QString& path);

private:
    void browse();

    QString m_dialogTitle;
    QLineEdit* m_edit;
    QPushButton* m_browse;
};

// Which part of the text (eval/TextHalves.h) to use, `first` ("calibration" or "held-out")
// listed first; the item data is the part's name.
QComboBox* createTextPartBox(const QString& first, QWidget* parent);
// A number of tokens, 0 meaning all of them.
QSpinBox* createTokenCountBox(const QString& toolTip, QWidget* parent);

} // namespace salience::gui
