// The window on small screens, and every menu shortcut reaching its action whatever widget has
// the focus: the layer filter (a line
// edit, which takes Ctrl+E as "end of line" for itself), the layer tree, the recipe editor's
// method list and a plot. Keys are pressed with QTest on the real window; the actions' slots are
// disconnected first, so that no modal dialog opens and only the shortcut itself is tested.
#include "LayerTree.h"
#include "MainWindow.h"
#include "RecipeEditor.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace salience;
using salience::gui::MainWindow;

class TestShortcuts : public QObject {
    Q_OBJECT

private slots:
    // The window opens within the screen it is on, down to a 1280 × 720 projector, and can be
    // made that small: no dock or tab asks for more.
    void windowFitsSmallScreens()
    {
        QCOMPARE(MainWindow::defaultWindowSize(QSize(2560, 1400)), QSize(1440, 900));
        QCOMPARE(MainWindow::defaultWindowSize(QSize(1366, 738)), QSize(1366, 738));
        QCOMPARE(MainWindow::defaultWindowSize(QSize(1280, 720)), QSize(1280, 720));
        QCOMPARE(MainWindow::defaultWindowSize(QSize()), QSize(1440, 900));
        MainWindow w;
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        const QSize least = w.minimumSizeHint().expandedTo(w.minimumSize());
        QVERIFY2(least.width() <= 1280 && least.height() <= 720,
                 qPrintable(QString("the window cannot be smaller than %1 × %2").arg(least.width()).arg(least.height())));
        w.resize(1280, 720);
        QApplication::processEvents();
        QCOMPARE(w.size(), QSize(1280, 720));
    }

    void menuShortcutsWorkWhereverTheFocusIs_data()
    {
        QTest::addColumn<QString>("action");
        // Editing keys a line edit rightly keeps for itself (undo, select all, ...) are not here:
        // in a text field they edit the text.
        for (const char* name : {"runEvaluate", "helpGlossary", "runCapture", "runQuantizeSelected", "runQuantizeAll",
                                 "fileExportFakeQuant", "fileOpenDemo", "fileLoadPlan", "editApplyBlock", "analyzeSensitivity",
                                 "analyzeCompare"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void menuShortcutsWorkWhereverTheFocusIs()
    {
        QFETCH(QString, action);
        MainWindow w;
        w.show();
        w.openDemo();
        QVERIFY(w.waitUntilIdle());
        QApplication::setActiveWindow(&w);
        QVERIFY(QTest::qWaitForWindowActive(&w));

        QAction* a = w.action(action);
        QVERIFY(a);
        const QKeySequence keys = a->shortcut();
        QVERIFY2(!keys.isEmpty(), qPrintable(action + " has no shortcut"));
        a->disconnect(); // the shortcut is tested, not the dialog it opens
        QSignalSpy triggered(a, &QAction::triggered);

        const QList<QWidget*> targets{w.layerTree()->filterEdit(), w.layerTree()->findChild<QTreeView*>(),
                                      w.recipeEditor()->methodBox(), &w};
        for (QWidget* target : targets) {
            QVERIFY(target);
            target->setFocus(Qt::OtherFocusReason);
            QApplication::processEvents();
            QWidget* focused = QApplication::focusWidget();
            const int before = int(triggered.count());
            QTest::keySequence(focused ? focused : &w, keys);
            QVERIFY2(triggered.count() == before + 1,
                     qPrintable(QString("%1 (%2) did not trigger with the focus on %3")
                                    .arg(action, keys.toString(),
                                         focused ? QString::fromLatin1(focused->metaObject()->className()) : "nothing")));
        }
    }
};

QTEST_MAIN(TestShortcuts)
#include "test_shortcuts.moc"
