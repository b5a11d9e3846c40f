// The three panels docked in a 1400×900 window, as a lecture would project them: nothing may
// be squeezed below its readable size.
#include "LayerTree.h"
#include "OverviewPanel.h"
#include "RecipeEditor.h"
#include "demo/DemoModel.h"

#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>
#include <QTest>
#include <QTreeView>

using namespace salience;
using namespace salience::widgets;

class TestPanelLayout : public QObject {
    Q_OBJECT
private slots:
    void rendersTheWorkbenchAt1400x900()
    {
        const DemoModel demo = makeDemoModel();
        QMainWindow window;
        auto* tree = new LayerTree;
        auto* editor = new RecipeEditor;
        auto* overview = new OverviewPanel;
        auto dock = [&](const QString& title, QWidget* w, Qt::DockWidgetArea area) {
            auto* d = new QDockWidget(title, &window);
            d->setWidget(w);
            window.addDockWidget(area, d);
            return d;
        };
        auto* left = dock("Layers", tree, Qt::LeftDockWidgetArea);
        auto* right = dock("Recipe", editor, Qt::RightDockWidgetArea);
        auto* bottom = dock("Overview", overview, Qt::BottomDockWidgetArea);
        auto* centre = new QLabel("(heatmap)");
        centre->setAlignment(Qt::AlignCenter);
        window.setCentralWidget(centre);
        window.resize(1400, 900);
        window.resizeDocks({left, right}, {540, 360}, Qt::Horizontal);
        window.resizeDocks({bottom}, {300}, Qt::Vertical);

        tree->setModel(demo.model);
        QVector<OverviewRow> rows;
        int i = 0;
        for (const LinearLayer& layer : demo.model.layers()) {
            const QString name = QString::fromStdString(layer.name);
            OverviewRow r{name, layer.block, QString::fromStdString(std::string(roleName(layer.role))), "rtn", 4, 4.25,
                          0.06 + 0.01 * (i % 7) + 0.01 * std::max(layer.block, 0), std::nullopt, layer.isQuantizable()};
            if (!r.quantized) {
                r.method = "none";
                r.bitsPerWeight = 32;
            } else {
                r.outputError = r.weightError * 1.3;
                tree->setRecipe(name, "rtn 4-bit g128 asym");
                tree->setResult(name, r.bitsPerWeight, *r.outputError);
            }
            rows << r;
            ++i;
        }
        overview->setRows(rows);
        overview->setTotals(1.12 * 1024 * 1024, 0.31 * 1024 * 1024, 4.25, 28, 29);
        tree->selectLayers({"model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.k_proj"});
        editor->setSelectionCount(2);

        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::qWait(50);
        // Each panel gets at least the size it asks for at minimum.
        QVERIFY(tree->width() >= 400);
        QVERIFY(editor->width() >= editor->minimumSizeHint().width());
        QVERIFY(overview->height() >= 200);

        const QString dir = QStringLiteral(SALIENCE_BINARY_DIR "/screenshots");
        QDir().mkpath(dir);
        QTest::qWait(30);
        QVERIFY(window.grab().save(dir + "/workbench_1400x900.png"));
    }
};

QTEST_MAIN(TestPanelLayout)
#include "test_panellayout.moc"
