#pragma once
// The small option dialogs of File ▸ Export: the ggml types of a GGUF's layers, and
// whether a run record carries every layer's codes and scales. Each remembers its choice.
#include <QDialog>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QRadioButton;

namespace salience::gui {

class GgufOptionsDialog : public QDialog {
    Q_OBJECT
public:
    // Which types the layers get (export/ExportRun.h): each quantized layer the type that holds
    // its grid; llama-quantize's mix for a preset, the plan's quantized layers keeping their
    // results; or one type for every quantized layer.
    enum class Kind { Plan, Preset, SingleType };

    explicit GgufOptionsDialog(QWidget* parent = nullptr);

    // The single ggml types offered, every type Salience writes: "Q8_0", ..., "F32".
    static QStringList types();
    // llama-quantize's presets, Q4_K_M (the default) first, aliases of the _M mixes left out.
    static QStringList presets();

    Kind kind() const;
    void setKind(Kind kind);
    // The single type with Kind::SingleType, else "".
    QString type() const;
    // "" chooses Kind::Plan, a type Kind::SingleType.
    void setType(const QString& type);
    // The preset with Kind::Preset, else "".
    QString preset() const;
    // Chooses Kind::Preset with that preset.
    void setPreset(const QString& preset);
    QComboBox* typeBox() const { return m_type; }
    QComboBox* presetBox() const { return m_preset; }
    QRadioButton* kindButton(Kind kind) const;
    void accept() override;

private:
    void updateFields();

    QRadioButton* m_plan;
    QRadioButton* m_mix;
    QRadioButton* m_single;
    QComboBox* m_preset;
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
