#pragma once
// The small option dialogs of File ▸ Export: the ggml type of a GGUF's quantized layers, and
// whether a run record carries every layer's codes and scales. Each remembers its choice.
#include <QDialog>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;

namespace salience::gui {

class GgufOptionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit GgufOptionsDialog(QWidget* parent = nullptr);

    // The ggml types offered: "" (automatic, per layer, the default) first, then single types.
    static QStringList types();
    QString type() const;
    void setType(const QString& type);
    QComboBox* typeBox() const { return m_type; }
    void accept() override;

private:
    QComboBox* m_type;
};

class RunRecordOptionsDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunRecordOptionsDialog(QWidget* parent = nullptr);

    bool includeCodes() const;
    QCheckBox* codesBox() const { return m_codes; }
    void accept() override;

private:
    QCheckBox* m_codes;
};

} // namespace salience::gui
