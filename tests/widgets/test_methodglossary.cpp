// The method glossary shows every registered method with its parameters.
#include "MethodGlossary.h"
#include "quant/MethodRegistry.h"

#include <QDir>
#include <QTest>
#include <QTextBrowser>

using namespace salience;
using namespace salience::widgets;

class TestMethodGlossary : public QObject {
    Q_OBJECT
private slots:
    void mentionsEveryMethod()
    {
        MethodGlossary glossary;
        const QString text = glossary.browser()->toPlainText();
        QVERIFY(!methodRegistry().empty());
        for (const MethodInfo& m : methodRegistry()) {
            QVERIFY2(text.contains(QString::fromStdString(m.name)), m.name.c_str());
            QVERIFY2(text.contains(QString::fromStdString(m.title)), m.title.c_str());
            // The description's first words (rich text may reflow the rest).
            QVERIFY2(text.contains(QString::fromStdString(m.description).left(30)), m.name.c_str());
            for (const ParamSpec& p : m.params) {
                QVERIFY2(text.contains(QString::fromStdString(p.name)), p.name.c_str());
                QVERIFY2(text.contains(QString::fromStdString(p.description).left(30)), p.name.c_str());
            }
        }
        QCOMPARE(glossary.windowTitle(), QStringLiteral("Method Glossary"));
    }

    void escapesMarkup()
    {
        // Descriptions are plain text: nothing in them may turn into markup.
        const QString html = MethodGlossary::glossaryHtml();
        for (const MethodInfo& m : methodRegistry())
            QVERIFY(html.contains(QString::fromStdString(m.description).toHtmlEscaped()));
    }

    void rendersForTheProjector()
    {
        MethodGlossary glossary;
        glossary.show();
        QVERIFY(QTest::qWaitForWindowExposed(&glossary));
        const QString dir = QStringLiteral(SALIENCE_BINARY_DIR "/screenshots");
        QDir().mkpath(dir);
        QTest::qWait(30);
        QVERIFY(glossary.grab().save(dir + "/glossary.png"));
    }
};

QTEST_MAIN(TestMethodGlossary)
#include "test_methodglossary.moc"
