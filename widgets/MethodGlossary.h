#pragma once
// Help ▸ Method Glossary: every registered quantization method with what it does, which recipe
// fields it uses and its parameters.
#include <QDialog>

class QTextBrowser;

namespace salience::widgets {

class MethodGlossary : public QDialog {
    Q_OBJECT
public:
    explicit MethodGlossary(QWidget* parent = nullptr);

    // The glossary as rich text, built from methodRegistry().
    static QString glossaryHtml();
    QTextBrowser* browser() const { return m_browser; }

private:
    QTextBrowser* m_browser = nullptr;
};

} // namespace salience::widgets
