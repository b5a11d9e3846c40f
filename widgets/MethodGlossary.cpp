#include "MethodGlossary.h"

#include "MethodText.h"

#include "quant/MethodRegistry.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace salience::widgets {

namespace {

QString html(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString number(double value, bool integer)
{
    return integer ? QString::number(qlonglong(value)) : QString::number(value, 'g', 6);
}

} // namespace

MethodGlossary::MethodGlossary(QWidget* parent)
    : QDialog(parent)
    , m_browser(new QTextBrowser(this))
{
    setWindowTitle(tr("Method Glossary"));
    m_browser->setOpenLinks(false);
    m_browser->setHtml(glossaryHtml());

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_browser, 1);
    layout->addWidget(buttons);
    resize(820, 680);
}

QString MethodGlossary::glossaryHtml()
{
    QString out;
    out += QStringLiteral("<h1>%1</h1><p>%2</p>")
               .arg(tr("Quantization methods"),
                    tr("Each layer's recipe names one of these methods. Fields a method does not use are "
                       "greyed out in the recipe editor."));
    for (const MethodInfo& m : methodRegistry()) {
        out += QStringLiteral("<h2>%1 <span style=\"font-weight:normal; color:#666;\">(<code>%2</code>)</span></h2>")
                   .arg(methodTitle(m).toHtmlEscaped(), html(m.name));
        out += QStringLiteral("<p>%1</p>").arg(methodDescription(m).toHtmlEscaped());

        QStringList uses;
        if (!m.quantizes)
            uses << tr("keeps full precision");
        if (m.usesGrid)
            uses << tr("bits, group size and symmetry");
        if (m.usesRank)
            uses << tr("a rank budget");
        if (m.usesProtection)
            uses << tr("a share of protected weights");
        if (m.needsActivations)
            uses << tr("<b>needs the layer's activations</b>");
        if (!uses.isEmpty())
            out += QStringLiteral("<p><i>%1</i> %2.</p>").arg(tr("Uses:"), uses.join(QStringLiteral(", ")));

        if (m.params.empty()) {
            out += QStringLiteral("<p style=\"color:#666;\">%1</p>").arg(tr("No parameters of its own."));
            continue;
        }
        out += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"5\" width=\"100%\">"
                              "<tr style=\"background:#eeeeee;\"><th align=\"left\">%1</th><th align=\"left\">%2</th>"
                              "<th align=\"left\">%3</th><th align=\"left\">%4</th></tr>")
                   .arg(tr("Parameter"), tr("Range"), tr("Default"), tr("What it does"));
        for (const ParamSpec& p : m.params) {
            out += QStringLiteral("<tr><td><code>%1</code></td><td>%2 … %3</td><td>%4</td><td>%5</td></tr>")
                       .arg(html(p.name), number(p.minValue, p.integer), number(p.maxValue, p.integer),
                            number(p.defaultValue, p.integer), paramDescription(p).toHtmlEscaped());
        }
        out += QStringLiteral("</table>");
    }
    return out;
}

} // namespace salience::widgets
