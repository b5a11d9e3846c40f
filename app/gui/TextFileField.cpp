#include "TextFileField.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace salience::gui {

TextFileField::TextFileField(const QString& dialogTitle, QWidget* parent)
    : QWidget(parent), m_dialogTitle(dialogTitle), m_edit(new QLineEdit(this)),
      m_browse(new QPushButton(tr("Browse…"), this))
{
    m_edit->setPlaceholderText(tr("a plain text file"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_browse);
    connect(m_browse, &QPushButton::clicked, this, &TextFileField::browse);
    connect(m_edit, &QLineEdit::textChanged, this, &TextFileField::pathChanged);
}

QString TextFileField::path() const { return m_edit->text().trimmed(); }

void TextFileField::setPath(const QString& path) { m_edit->setText(path); }

void TextFileField::browse()
{
    const QString start = path().isEmpty() ? QSettings().value("dialogs/textDir").toString() : path();
    const QString chosen = QFileDialog::getOpenFileName(this, m_dialogTitle, start,
                                                        tr("Text files (*.txt *.raw *.md);;All files (*)"));
    if (chosen.isEmpty())
        return;
    QSettings().setValue("dialogs/textDir", QFileInfo(chosen).absolutePath());
    m_edit->setText(chosen);
}

} // namespace salience::gui
