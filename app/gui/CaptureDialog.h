#pragma once
// Run ▸ Capture Activations…: which text to run through the model, how much of it, and where
// (if anywhere) to save what is captured. The text file and the numbers are remembered in
// QSettings for the next capture.
#include <QDialog>
#include <QString>

class QDialogButtonBox;
class QLineEdit;
class QSpinBox;

namespace salience::gui {

class TextFileField;

struct CaptureSettings {
    QString textPath;
    qint64 tokens = 4096;     // tokens of the text to run (0: all)
    qint64 window = 256;      // tokens per window, BOS included
    qint64 keepInputs = 512;  // tokens whose raw layer inputs and block sites are kept
    QString tokenizerPath;    // empty: found beside or inside the model
    QString savePath;         // .h5 to write; empty: keep in memory only
};

class CaptureDialog : public QDialog {
    Q_OBJECT
public:
    // Starts from the remembered settings.
    explicit CaptureDialog(QWidget* parent = nullptr);

    CaptureSettings settings() const;
    void setSettings(const CaptureSettings& settings);
    // Stores the text file and the numbers for the next dialog.
    void remember() const;

    QLineEdit* textEdit() const { return m_text; }
    QSpinBox* tokensBox() const { return m_tokens; }
    QSpinBox* windowBox() const { return m_window; }
    QSpinBox* keepInputsBox() const { return m_keep; }
    QLineEdit* tokenizerEdit() const { return m_tokenizer; }
    QLineEdit* saveEdit() const { return m_save; }
    QDialogButtonBox* buttons() const { return m_buttons; }

    // Asks before a typed "save to" path replaces an existing file.
    void accept() override;

private:
    void browseTokenizer();
    void browseSave();
    void updateOk();

    TextFileField* m_textField;
    QLineEdit* m_text;
    QSpinBox* m_tokens;
    QSpinBox* m_window;
    QSpinBox* m_keep;
    QLineEdit* m_tokenizer;
    QLineEdit* m_save;
    QDialogButtonBox* m_buttons;
    QString m_confirmedSave; // chosen in the file dialog, which asked about replacing it already
};

} // namespace salience::gui
