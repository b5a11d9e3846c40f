// Every menu shortcut reaches its action whatever widget has the focus: the layer filter (a line
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
    void menuShortcutsWorkWhereverTheFocusIs_data()
    {
        QTest::addColumn<QString>("action");
        // Editing keys a line edit rightly keeps for itself (undo, select all, ...) are not here:
        // in a text field they edit the text.
        for (const char* name : {"runEvaluate", "helpGlossary", "runCapture", "runQuantizeSelected", "runQuantizeAll",
                                 "fileExportFakeQuant", "fileOpenDemo", "fileLoadPlan", "editApplyBlock"})
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
