#include "CaptureDialog.h"

#include "TextFileField.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace salience::gui {

namespace {

// A line edit with a "Browse…" button beside it.
QWidget* withBrowse(QLineEdit* edit, QPushButton* button)
{
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    return row;
}

QSpinBox* tokenBox(int minimum, int maximum, const QString& tooltip, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setGroupSeparatorShown(true);
    box->setToolTip(tooltip);
    return box;
}

} // namespace

CaptureDialog::CaptureDialog(QWidget* parent)
    : QDialog(parent)
    , m_textField(new TextFileField(tr("Text to Capture On"), this))
    , m_text(m_textField->lineEdit())
    , m_tokens(tokenBox(0, 100'000'000, tr("Tokens of the text to run through the model (0: all of it)."), this))
    , m_window(tokenBox(2, 1'000'000, tr("Tokens per forward pass, the BOS token included. The model's context "
                                         "length is the natural choice."),
                        this))
    , m_keep(tokenBox(0, 1'000'000, tr("The first tokens keep their raw layer inputs and block sites (for the "
                                       "Activations tab and methods that need X); every token adds to the "
                                       "per-channel statistics."),
                      this))
    , m_tokenizer(new QLineEdit(this))
    , m_save(new QLineEdit(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName("CaptureDialog");
    setWindowTitle(tr("Capture Activations"));
    m_text->setObjectName("captureText");
    m_tokens->setObjectName("captureTokens");
    m_window->setObjectName("captureWindow");
    m_keep->setObjectName("captureKeepInputs");
    m_tokenizer->setObjectName("captureTokenizer");
    m_save->setObjectName("captureSave");
    m_tokenizer->setPlaceholderText(tr("found beside or inside the model"));
    m_save->setPlaceholderText(tr("keep in memory only"));
    m_tokens->setSpecialValueText(tr("all"));
    m_keep->setSpecialValueText(tr("none (statistics only)"));

    auto* browseTokenizer = new QPushButton(tr("Browse…"), this);
    auto* browseSave = new QPushButton(tr("Browse…"), this);
    connect(browseTokenizer, &QPushButton::clicked, this, &CaptureDialog::browseTokenizer);
    connect(browseSave, &QPushButton::clicked, this, &CaptureDialog::browseSave);

    auto* intro = new QLabel(tr("The text runs through the model's own forward pass; every linear layer's input "
                                "is recorded. The captured activations replace the open ones."),
                             this);
    intro->setWordWrap(true);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Text file"), m_textField);
    form->addRow(tr("Tokens"), m_tokens);
    form->addRow(tr("Window"), m_window);
    form->addRow(tr("Keep raw inputs of"), m_keep);
    form->addRow(tr("Tokenizer"), withBrowse(m_tokenizer, browseTokenizer));
    form->addRow(tr("Save to"), withBrowse(m_save, browseSave));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CaptureDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_text, &QLineEdit::textChanged, this, &CaptureDialog::updateOk);
    resize(560, sizeHint().height());

    QSettings s;
    CaptureSettings remembered;
    remembered.textPath = s.value("capture/text").toString();
    remembered.tokens = s.value("capture/tokens", remembered.tokens).toLongLong();
    remembered.window = s.value("capture/window", remembered.window).toLongLong();
    remembered.keepInputs = s.value("capture/keepInputs", remembered.keepInputs).toLongLong();
    setSettings(remembered);
}

CaptureSettings CaptureDialog::settings() const
{
    CaptureSettings s;
    s.textPath = m_text->text().trimmed();
    s.tokens = m_tokens->value();
    s.window = m_window->value();
    s.keepInputs = m_keep->value();
    s.tokenizerPath = m_tokenizer->text().trimmed();
    s.savePath = m_save->text().trimmed();
    return s;
}

void CaptureDialog::setSettings(const CaptureSettings& s)
{
    m_text->setText(s.textPath);
    m_tokens->setValue(int(std::clamp<qint64>(s.tokens, m_tokens->minimum(), m_tokens->maximum())));
    m_window->setValue(int(std::clamp<qint64>(s.window, m_window->minimum(), m_window->maximum())));
    m_keep->setValue(int(std::clamp<qint64>(s.keepInputs, m_keep->minimum(), m_keep->maximum())));
    m_tokenizer->setText(s.tokenizerPath);
    m_save->setText(s.savePath);
    updateOk();
}

void CaptureDialog::remember() const
{
    const CaptureSettings current = settings();
    QSettings s;
    s.setValue("capture/text", current.textPath);
    s.setValue("capture/tokens", current.tokens);
    s.setValue("capture/window", current.window);
    s.setValue("capture/keepInputs", current.keepInputs);
}

void CaptureDialog::browseTokenizer()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Tokenizer"), m_tokenizer->text(),
                                                      tr("Tokenizers (*.bin *.gguf);;All files (*)"));
    if (!path.isEmpty())
        m_tokenizer->setText(path);
}

void CaptureDialog::browseSave()
{
    // The dialog adds the suffix itself, so its overwrite question covers the real file name.
    QFileDialog dialog(this, tr("Save Activations"),
                       m_save->text().isEmpty() ? QSettings().value("dialogs/actsDir").toString() : m_save->text(),
                       tr("Activation files (*.h5)"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(QStringLiteral("h5"));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    const QString path = dialog.selectedFiles().front();
    QSettings().setValue("dialogs/actsDir", QFileInfo(path).absolutePath());
    m_confirmedSave = path;
    m_save->setText(path);
}

void CaptureDialog::accept()
{
    const QString save = settings().savePath;
    if (!save.isEmpty() && save != m_confirmedSave && QFileInfo::exists(save) &&
        QMessageBox::question(this, tr("Replace File"), tr("%1 already exists. Replace it?").arg(save)) !=
            QMessageBox::Yes)
        return;
    remember();
    QDialog::accept();
}

void CaptureDialog::updateOk()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_text->text().trimmed().isEmpty());
}

} // namespace salience::gui
