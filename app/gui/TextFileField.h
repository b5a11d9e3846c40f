#pragma once
// A text file to run through the model, typed or chosen with "Browse…": the field of Run ▸
// Capture Activations and of the Sensitivity and Comparison views. The folder of the last file
// chosen is remembered for the next dialog.
#include <QString>
#include <QWidget>

class QLineEdit;
class QPushButton;

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

} // namespace salience::gui
