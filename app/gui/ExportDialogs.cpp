#include "ExportDialogs.h"

#include "export/LlamaQuantizeMix.h"
#include "io/GgmlTypes.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QMap>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>

namespace salience::gui {

namespace {

// Description, OK/Cancel and the form in the usual order.
QFormLayout* frame(QDialog* dialog, const QString& intro)
{
    auto* text = new QLabel(intro, dialog);
    text->setWordWrap(true);
    auto* form = new QFormLayout;
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addLayout(form);
    layout->addWidget(buttons);
    dialog->resize(480, dialog->sizeHint().height());
    return form;
}

} // namespace

GgufOptionsDialog::GgufOptionsDialog(QWidget* parent)
    : QDialog(parent)
    , m_plan(new QRadioButton(tr("As the plan says (per layer)"), this))
    , m_mix(new QRadioButton(tr("llama-quantize mix"), this))
    , m_single(new QRadioButton(tr("One type for every quantized layer"), this))
    , m_preset(new QComboBox(this))
    , m_type(new QComboBox(this))
{
    setObjectName("GgufOptionsDialog");
    setWindowTitle(tr("Export GGUF"));
    QFormLayout* form =
        frame(this, tr("As the plan says: each quantized layer is written in the llama.cpp type that holds its "
                       "grid, exactly, from its own scales. A llama-quantize mix gives every other tensor (layers "
                       "the plan keeps, the embedding, the classifier) the type llama-quantize's preset gives it, "
                       "while the plan's quantized layers keep their results; without a plan the file is what "
                       "llama-quantize writes. One type writes every quantized layer in that type, quantized "
                       "again from the dequantized weights where the type does not hold the result. Otherwise "
                       "layers the plan keeps in full precision keep their source type, and norms and the "
                       "embedding stay float32."));
    auto* kinds = new QButtonGroup(this);
    for (QRadioButton* b : {m_plan, m_mix, m_single})
        kinds->addButton(b);
    m_plan->setObjectName("ggufKindPlan");
    m_mix->setObjectName("ggufKindPreset");
    m_single->setObjectName("ggufKindType");
    m_plan->setToolTip(tr("Each quantized layer in the type that holds its grid (Q4_0, Q8_0, a recipe's block "
                          "format, ...); a grid no type holds is refused."));
    m_mix->setToolTip(tr("llama-quantize's preset (as “llama-quantize F32.gguf out.gguf Q4_K_M”) for every tensor "
                         "the plan does not quantize; general.file_type is the preset's."));
    m_single->setToolTip(tr("Every quantized layer in this type, requantized where it does not hold the result."));

    for (const QString& name : presets())
        m_preset->addItem(name, name);
    m_preset->setObjectName("ggufPreset");

    const QStringList names = types();
    const QMap<QString, QString> hints{
        {"Q8_0", tr("8-bit, blocks of 32")},
        {"Q4_0", tr("4-bit symmetric, blocks of 32")},
        {"Q4_1", tr("4-bit with offset")},
        {"Q5_0", tr("5-bit symmetric, blocks of 32")},
        {"Q5_1", tr("5-bit with offset")},
        {"Q2_K", tr("2-bit k-quant, super-blocks of 256")},
        {"Q3_K", tr("3-bit k-quant, super-blocks of 256")},
        {"Q4_K", tr("4-bit k-quant, super-blocks of 256")},
        {"Q5_K", tr("5-bit k-quant, super-blocks of 256")},
        {"Q6_K", tr("6-bit k-quant, super-blocks of 256")},
        {"IQ4_NL", tr("4-bit non-linear levels, blocks of 32")},
        {"F16", tr("half precision")},
        {"BF16", tr("bfloat16")},
        {"F32", tr("full precision")}};
    for (const QString& name : names) {
        const auto t = ggmlTypeFromName(name.toStdString());
        const QString bits = t ? QString::number(ggmlBitsPerWeight(*t), 'g', 6) : QString();
        m_type->addItem(tr("%1 — %2, %3 bits/weight").arg(name, hints.value(name), bits), name);
    }
    m_type->setObjectName("ggufType");

    form->addRow(m_plan);
    form->addRow(m_mix, m_preset);
    form->addRow(m_single, m_type);
    connect(kinds, &QButtonGroup::buttonToggled, this, [this] { updateFields(); });

    QSettings settings;
    const QString type = settings.value("export/ggufType", QString()).toString();
    setPreset(settings.value("export/ggufPreset", presets().front()).toString());
    setType(type);
    // Before the kinds, a type alone said it: "" was the plan's types.
    const QString kind = settings.value("export/ggufKind", type.isEmpty() ? "plan" : "type").toString();
    setKind(kind == QLatin1String("preset") ? Kind::Preset : kind == QLatin1String("type") ? Kind::SingleType : Kind::Plan);
}

QStringList GgufOptionsDialog::types()
{
    return {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "F16", "BF16", "F32"};
}

QStringList GgufOptionsDialog::presets()
{
    QStringList all;
    for (const std::string& name : llamaQuantizePresets())
        all << QString::fromStdString(name);
    QStringList out{QStringLiteral("Q4_K_M")};
    for (const QString& name : all)
        // Q3_K, Q4_K and Q5_K are llama-quantize's aliases of the _M mixes listed beside them.
        if (name != out.front() && !all.contains(name + QStringLiteral("_M")))
            out << name;
    return out;
}

GgufOptionsDialog::Kind GgufOptionsDialog::kind() const
{
    return m_mix->isChecked() ? Kind::Preset : m_single->isChecked() ? Kind::SingleType : Kind::Plan;
}

void GgufOptionsDialog::setKind(Kind kind) { kindButton(kind)->setChecked(true); }

QRadioButton* GgufOptionsDialog::kindButton(Kind kind) const
{
    return kind == Kind::Preset ? m_mix : kind == Kind::SingleType ? m_single : m_plan;
}

QString GgufOptionsDialog::type() const
{
    return kind() == Kind::SingleType ? m_type->currentData().toString() : QString();
}

void GgufOptionsDialog::setType(const QString& type)
{
    const int index = m_type->findData(type);
    if (index >= 0)
        m_type->setCurrentIndex(index);
    setKind(index >= 0 ? Kind::SingleType : Kind::Plan);
}

QString GgufOptionsDialog::preset() const
{
    return kind() == Kind::Preset ? m_preset->currentData().toString() : QString();
}

void GgufOptionsDialog::setPreset(const QString& preset)
{
    const int index = m_preset->findData(preset.toUpper());
    m_preset->setCurrentIndex(index >= 0 ? index : 0);
    setKind(Kind::Preset);
}

void GgufOptionsDialog::updateFields()
{
    m_preset->setEnabled(m_mix->isChecked());
    m_type->setEnabled(m_single->isChecked());
}

void GgufOptionsDialog::accept()
{
    QSettings settings;
    const Kind k = kind();
    settings.setValue("export/ggufKind", k == Kind::Preset ? "preset" : k == Kind::SingleType ? "type" : "plan");
    settings.setValue("export/ggufPreset", m_preset->currentData().toString());
    settings.setValue("export/ggufType", m_type->currentData().toString());
    QDialog::accept();
}

RunRecordOptionsDialog::RunRecordOptionsDialog(QWidget* parent)
    : QDialog(parent), m_codes(new QCheckBox(tr("Include codes and scales"), this))
{
    setObjectName("RunRecordOptionsDialog");
    setWindowTitle(tr("Export Run Record"));
    QFormLayout* form = frame(this, tr("One HDF5 file with every layer's recipe, errors and bits per weight, for "
                                       "h5py or MATLAB. With codes and scales, each quantized layer's integer codes, "
                                       "scales and zero points are included too (a larger file)."));
    m_codes->setObjectName("runRecordCodes");
    m_codes->setChecked(QSettings().value("export/runRecordCodes", false).toBool());
    form->addRow(m_codes);
}

bool RunRecordOptionsDialog::includeCodes() const { return m_codes->isChecked(); }

void RunRecordOptionsDialog::accept()
{
    QSettings().setValue("export/runRecordCodes", includeCodes());
    QDialog::accept();
}

} // namespace salience::gui
