#include "ExportDialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
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

GgufOptionsDialog::GgufOptionsDialog(QWidget* parent) : QDialog(parent), m_type(new QComboBox(this))
{
    setObjectName("GgufOptionsDialog");
    setWindowTitle(tr("Export GGUF"));
    QFormLayout* form = frame(this, tr("Quantized layers are written in this llama.cpp type: exactly, from their own "
                                       "scales, when the type holds the result; otherwise quantized again from the "
                                       "dequantized weights. Automatic picks, per layer, the type that holds its "
                                       "grid. Layers the plan keeps in full precision keep their source type; "
                                       "norms and the embedding stay float32."));
    m_type->addItem(tr("Automatic — as the plan says, per layer"), QString());
    const QStringList names = types();
    const QStringList hints{QString(), tr("8-bit, blocks of 32"),  tr("4-bit symmetric, blocks of 32"),
                            tr("4-bit with offset"),    tr("5-bit symmetric, blocks of 32"),
                            tr("5-bit with offset"),    tr("4-bit k-quant, super-blocks of 256"),
                            tr("6-bit k-quant, super-blocks of 256"), tr("half precision"),
                            tr("full precision")};
    for (int i = 1; i < names.size(); ++i)
        m_type->addItem(QStringLiteral("%1 — %2").arg(names[i], hints.value(i)), names[i]);
    m_type->setObjectName("ggufType");
    form->addRow(tr("Type of quantized layers"), m_type);
    setType(QSettings().value("export/ggufType", names.front()).toString());
}

QStringList GgufOptionsDialog::types()
{
    return {QString(), "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q6_K", "F16", "F32"};
}

QString GgufOptionsDialog::type() const { return m_type->currentData().toString(); }

void GgufOptionsDialog::setType(const QString& type)
{
    const int index = m_type->findData(type);
    m_type->setCurrentIndex(index >= 0 ? index : 0);
}

void GgufOptionsDialog::accept()
{
    QSettings().setValue("export/ggufType", type());
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
