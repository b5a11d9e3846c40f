// The recipe editor: round trips, fields greyed per the method registry, edit signals.
#include "RecipeEditor.h"
#include "base/Error.h"
#include "quant/GgmlQuantize.h"
#include "quant/MethodRegistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace salience;
using namespace salience::widgets;

namespace {

// A value inside the parameter's range that is not its default.
double otherValue(const ParamSpec& p)
{
    double v = p.minValue + 0.37 * (p.maxValue - p.minValue);
    if (p.integer)
        v = std::round(v);
    if (v == p.defaultValue)
        v = p.integer ? (v + 1 <= p.maxValue ? v + 1 : v - 1) : 0.5 * (v + p.maxValue);
    return v;
}

double boxValue(const QAbstractSpinBox* box)
{
    if (const auto* spin = qobject_cast<const QSpinBox*>(box))
        return spin->value();
    return static_cast<const QDoubleSpinBox*>(box)->value();
}

} // namespace

class TestRecipeEditor : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(findMethod("none"));
        QVERIFY(findMethod("rtn"));
    }

    void listsEveryMethodByTitle()
    {
        RecipeEditor editor;
        QCOMPARE(editor.methodBox()->count(), int(methodRegistry().size()));
        for (int i = 0; i < editor.methodBox()->count(); ++i) {
            const MethodInfo& m = methodRegistry()[size_t(i)];
            QCOMPARE(editor.methodBox()->itemData(i).toString(), QString::fromStdString(m.name));
            QVERIFY(editor.methodBox()->itemText(i).contains(QString::fromStdString(m.title)));
        }
        QCOMPARE(editor.bitsBox()->minimum(), 2);
        QCOMPARE(editor.bitsBox()->maximum(), 8);
        QCOMPARE(editor.rankBox()->maximum(), 4096);
        QCOMPARE(editor.protectBox()->maximum(), 100.0);
        QCOMPARE(editor.protectBox()->singleStep(), 0.1);
        QCOMPARE(editor.recipe(), Recipe{}); // starts at the default recipe
    }

    void roundTrip()
    {
        RecipeEditor editor;
        Recipe r;
        r.method = "rtn";
        r.bits = 3;
        r.groupSize = 64;
        r.symmetric = true;
        r.rank = 16;
        r.protectPercent = 1.25;
        r.seed = 42;
        editor.setRecipe(r);
        QCOMPARE(editor.recipe(), r);

        for (int group : {0, -1, 32, 256, 96, 1000}) {
            r.groupSize = group;
            editor.setRecipe(r);
            QCOMPARE(editor.recipe(), r);
        }
        editor.setRecipe(r); // 1000 is custom
        QCOMPARE(editor.groupBox()->currentText(), QStringLiteral("custom"));
        QCOMPARE(editor.customGroupBox()->value(), 1000);
        r.groupSize = 0;
        editor.setRecipe(r);
        QCOMPARE(editor.groupBox()->currentText(), QStringLiteral("per channel"));

        r.method = "none";
        editor.setRecipe(r);
        QCOMPARE(editor.recipe(), r); // fields "none" ignores keep their values

        // Every registered method, with each parameter moved off its default.
        for (const MethodInfo& m : methodRegistry()) {
            Recipe p;
            p.method = m.name;
            for (const ParamSpec& spec : m.params)
                p.params[spec.name] = otherValue(spec);
            editor.setRecipe(p);
            QCOMPARE(editor.recipe(), p);
        }
    }

    void greysOutFieldsTheMethodDoesNotUse()
    {
        RecipeEditor editor;
        for (const MethodInfo& m : methodRegistry()) {
            Recipe r;
            r.method = m.name;
            editor.setRecipe(r);
            const QString what = QString::fromStdString(m.name);
            QVERIFY2(editor.methodBox()->isEnabled(), qPrintable(what));
            QVERIFY2(editor.bitsBox()->isEnabled() == m.usesGrid, qPrintable(what));
            QVERIFY2(editor.groupBox()->isEnabled() == m.usesGrid, qPrintable(what));
            QVERIFY2(editor.symmetricBox()->isEnabled() == m.usesGrid, qPrintable(what));
            QVERIFY2(!editor.customGroupBox()->isEnabled(), qPrintable(what)); // g128 is not custom
            QVERIFY2(editor.rankBox()->isEnabled() == m.usesRank, qPrintable(what));
            QVERIFY2(editor.protectBox()->isEnabled() == m.usesProtection, qPrintable(what));
            QVERIFY2(editor.hintText().isEmpty() == !m.needsActivations, qPrintable(what));
            for (const ParamSpec& spec : m.params) {
                const QString where = what + "." + QString::fromStdString(spec.name);
                if (spec.isChoice()) { // a combo of the choices, not a spin box
                    const QComboBox* combo = editor.paramChoiceBox(QString::fromStdString(spec.name));
                    QVERIFY2(combo, qPrintable(where));
                    QVERIFY2(!editor.paramBox(QString::fromStdString(spec.name)), qPrintable(where));
                    QCOMPARE(combo->count(), int(spec.choices.size()));
                    QCOMPARE(double(combo->currentIndex()), spec.defaultValue);
                    QVERIFY(combo->toolTip().contains(QString::fromStdString(spec.description)));
                    continue;
                }
                const QAbstractSpinBox* box = editor.paramBox(QString::fromStdString(spec.name));
                QVERIFY2(box, qPrintable(where));
                QVERIFY2(!editor.paramChoiceBox(QString::fromStdString(spec.name)), qPrintable(where));
                QCOMPARE(boxValue(box), spec.defaultValue);
                QCOMPARE(box->toolTip().contains(QString::fromStdString(spec.description)), true);
                QCOMPARE(qobject_cast<const QSpinBox*>(box) != nullptr, spec.integer);
            }
        }
        // The two methods that exist today differ in the grid: the check above is not vacuous.
        QVERIFY(findMethod("none")->usesGrid != findMethod("rtn")->usesGrid);

        // Custom group size enables its spin box; editing off disables everything.
        Recipe r;
        r.groupSize = 96;
        editor.setRecipe(r);
        QVERIFY(editor.customGroupBox()->isEnabled());
        editor.setEnabledEditing(false);
        QVERIFY(!editor.methodBox()->isEnabled());
        QVERIFY(!editor.bitsBox()->isEnabled());
        QVERIFY(!editor.customGroupBox()->isEnabled());
        editor.setEnabledEditing(true);
        QVERIFY(editor.bitsBox()->isEnabled());
        editor.setSelectionCount(0);
        QVERIFY(!editor.methodBox()->isEnabled());
        editor.setSelectionCount(1);
        QVERIFY(editor.methodBox()->isEnabled());
    }

    // Parameters that pick one of a few names (criterion, scaling, ...) show a combo of those
    // names; the recipe stores the index, and only a change off the default is written.
    void choiceParametersUseACombo()
    {
        const MethodInfo* method = nullptr;
        const ParamSpec* choice = nullptr;
        for (const MethodInfo& m : methodRegistry())
            for (const ParamSpec& p : m.params)
                if (p.isChoice() && p.choices.size() >= 2 && !choice) {
                    method = &m;
                    choice = &p;
                }
        if (!choice)
            QSKIP("no registered method has a choice parameter yet");
        const QString name = QString::fromStdString(choice->name);
        RecipeEditor editor;
        QSignalSpy spy(&editor, &RecipeEditor::recipeEdited);
        Recipe r;
        r.method = method->name;
        editor.setRecipe(r);
        QCOMPARE(spy.count(), 0);
        QComboBox* combo = editor.paramChoiceBox(name);
        QVERIFY(combo);
        for (int i = 0; i < int(choice->choices.size()); ++i)
            QCOMPARE(combo->itemText(i), QString::fromStdString(choice->choices[size_t(i)]));
        QCOMPARE(editor.recipe(), r); // at the default, nothing is written into params
        QVERIFY(editor.recipe().params.empty());

        const int other = choice->defaultValue == 0 ? 1 : 0;
        combo->setCurrentIndex(other);
        QCOMPARE(spy.count(), 1);
        const Recipe edited = spy.last().at(0).value<Recipe>();
        QCOMPARE(edited.params.at(choice->name), double(other));
        QCOMPARE(edited.param(choice->name), double(other));
        edited.validate("test"); // an index the registry accepts
        QCOMPARE(edited.toJson()["params"][choice->name].get<std::string>(), choice->choices[size_t(other)]);

        // Setting a recipe shows its choice without emitting.
        Recipe last = r;
        last.params[choice->name] = double(choice->choices.size() - 1);
        editor.setRecipe(last);
        QVERIFY(editor.paramChoiceBox(name)); // rebuilt for the new recipe
        QCOMPARE(editor.paramChoiceBox(name)->currentIndex(), int(choice->choices.size()) - 1);
        QCOMPARE(editor.recipe(), last);
        QCOMPARE(spy.count(), 1);
    }

    // The grid combo: the uniform grid, then every ggml block format core can quantize onto, with
    // its bits per weight. Only rtn takes one; a block format brings its own bits, groups and
    // symmetry, so those fields switch off; another method goes back to the uniform grid.
    void gridTypeCombo()
    {
        RecipeEditor editor;
        QComboBox* grid = editor.gridTypeBox();
        QVERIFY(grid);
        const QStringList formats =
            QString::fromStdString(ggmlGridTypeList()).split(QStringLiteral(", "), Qt::SkipEmptyParts);
        QCOMPARE(formats.size(), 11);
        QCOMPARE(grid->count(), 1 + formats.size());
        QCOMPARE(grid->itemData(0).toString(), QString());
        QVERIFY(grid->itemText(0).startsWith(QStringLiteral("Uniform")));
        for (const QString& f : formats)
            QVERIFY2(grid->findData(f) >= 0, qPrintable(f));
        QCOMPARE(grid->itemText(grid->findData(QStringLiteral("Q4_K"))),
                 QStringLiteral("Q4_K — llama.cpp K-quant, 4.5 bits/weight"));
        QVERIFY(grid->itemText(grid->findData(QStringLiteral("Q3_K"))).contains(QStringLiteral("3.4375 bits/weight")));
        QVERIFY(grid->itemText(grid->findData(QStringLiteral("Q8_0"))).contains(QStringLiteral("8.5 bits/weight")));

        // Enabled for the quantizing methods core lets onto a ggml format (rtn and gptq).
        const auto acceptsGrid = [](const MethodInfo& m) {
            Recipe r;
            r.method = m.name;
            r.gridType = "Q4_K";
            try {
                r.validate("test");
            } catch (const salience::InputError&) {
                return false;
            }
            return m.quantizes;
        };
        QStringList accepting;
        for (const MethodInfo& m : methodRegistry()) {
            Recipe r;
            r.method = m.name;
            editor.setRecipe(r);
            QVERIFY2(grid->isEnabled() == acceptsGrid(m), m.name.c_str());
            if (acceptsGrid(m))
                accepting << QString::fromStdString(m.name);
        }
        // Every method with a grid base; not kmeans (a codebook), asvd (no base) or pruning.
        QCOMPARE(accepting, QStringList({"rtn", "smoothquant", "awq", "hadamard", "gptq", "protect", "sarqc-gptq",
                                         "sarqc-awq", "qer", "srr"}));

        // Round trips, for rtn and for none (which ignores the grid and keeps it).
        Recipe q4k;
        q4k.gridType = "Q4_K";
        editor.setRecipe(q4k);
        QCOMPARE(editor.recipe(), q4k);
        QCOMPARE(grid->currentData().toString(), QStringLiteral("Q4_K"));
        QVERIFY(!editor.bitsBox()->isEnabled());
        QVERIFY(!editor.groupBox()->isEnabled());
        QVERIFY(!editor.symmetricBox()->isEnabled());
        Recipe none = q4k;
        none.method = "none";
        editor.setRecipe(none);
        QCOMPARE(editor.recipe(), none);

        // A user's choice is one edit; the uniform grid brings the fields back.
        Recipe r;
        editor.setRecipe(r);
        QVERIFY(editor.bitsBox()->isEnabled());
        QSignalSpy spy(&editor, &RecipeEditor::recipeEdited);
        grid->setCurrentIndex(grid->findData(QStringLiteral("Q6_K")));
        QCOMPARE(spy.count(), 1);
        Recipe edited = spy.last().at(0).value<Recipe>();
        QCOMPARE(edited.gridType, std::string("Q6_K"));
        edited.validate("test");
        QVERIFY(!editor.bitsBox()->isEnabled());
        grid->setCurrentIndex(0);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.last().at(0).value<Recipe>(), r);
        QVERIFY(editor.bitsBox()->isEnabled());

        // Another quantizing method: back to the uniform grid in the same single edit, so the
        // recipe stays valid; the combo switches off.
        for (const MethodInfo& m : methodRegistry()) {
            if (!m.quantizes || acceptsGrid(m))
                continue;
            editor.setRecipe(q4k);
            spy.clear();
            editor.methodBox()->setCurrentIndex(editor.methodBox()->findData(QString::fromStdString(m.name)));
            QCOMPARE(spy.count(), 1);
            const Recipe other = spy.last().at(0).value<Recipe>();
            QCOMPARE(other.method, m.name);
            QVERIFY2(other.gridType.empty(), m.name.c_str());
            other.validate("test");
            QVERIFY(!grid->isEnabled());
            QCOMPARE(grid->currentIndex(), 0);
            QCOMPARE(editor.bitsBox()->isEnabled(), m.usesGrid);
        }
    }

    void activationHint()
    {
        RecipeEditor editor;
        for (const MethodInfo& m : methodRegistry()) {
            if (!m.needsActivations)
                continue;
            Recipe r;
            r.method = m.name;
            editor.setRecipe(r);
            editor.setActivationsAvailable(false);
            const QString missing = editor.hintText();
            editor.setActivationsAvailable(true);
            QVERIFY(!missing.isEmpty());
            QVERIFY(!editor.hintText().isEmpty());
            QVERIFY(missing != editor.hintText());
        }
    }

    void selectionLabel()
    {
        RecipeEditor editor;
        editor.setSelectionCount(3);
        QVERIFY2(editor.selectionText().contains("3 layers selected"), qPrintable(editor.selectionText()));
        QVERIFY(editor.selectionText().contains("applies to all"));
        const QString plain = editor.selectionText();
        editor.setMixed(true);
        QVERIFY(editor.selectionText().startsWith(plain));
        QVERIFY(editor.selectionText().size() > plain.size());
        editor.setMixed(false);
        QCOMPARE(editor.selectionText(), plain);
    }

    void emitsOnUserEditsOnly()
    {
        RecipeEditor editor;
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        QSignalSpy spy(&editor, &RecipeEditor::recipeEdited);

        Recipe r;
        r.bits = 4;
        r.groupSize = 128;
        r.seed = 7;
        editor.setRecipe(r);
        r.method = "none";
        editor.setRecipe(r);
        QCOMPARE(spy.count(), 0);

        r.method = "rtn";
        editor.setRecipe(r);
        editor.bitsBox()->setValue(6);
        QCOMPARE(spy.count(), 1);
        Recipe edited = spy.last().at(0).value<Recipe>();
        QCOMPARE(edited.bits, 6);
        QCOMPARE(edited.seed, uint64_t(7)); // what the editor does not show is kept

        QTest::mouseClick(editor.symmetricBox(), Qt::LeftButton);
        QCOMPARE(spy.count(), 2);
        QVERIFY(spy.last().at(0).value<Recipe>().symmetric);

        editor.groupBox()->setCurrentIndex(editor.groupBox()->findData(0));
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.last().at(0).value<Recipe>().groupSize, 0);

        // Typing into the bits box: each keystroke that changes the value emits.
        editor.bitsBox()->setFocus();
        editor.bitsBox()->selectAll();
        QTest::keyClicks(editor.bitsBox(), QStringLiteral("3"));
        QVERIFY(spy.count() >= 4);
        QCOMPARE(spy.last().at(0).value<Recipe>().bits, 3);
        QCOMPARE(editor.recipe().bits, 3);

        // Choosing another method emits once and brings that method's parameters.
        spy.clear();
        const int none = editor.methodBox()->findData(QStringLiteral("none"));
        editor.methodBox()->setCurrentIndex(none);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.last().at(0).value<Recipe>().method, std::string("none"));
        QCOMPARE(editor.bitsBox()->isEnabled(), findMethod("none")->usesGrid);

        // Parameter boxes of every method emit too.
        for (const MethodInfo& m : methodRegistry()) {
            if (m.params.empty())
                continue;
            Recipe p;
            p.method = m.name;
            editor.setRecipe(p);
            spy.clear();
            const ParamSpec& spec = m.params.front();
            const double v = otherValue(spec);
            if (spec.isChoice()) {
                QComboBox* combo = editor.paramChoiceBox(QString::fromStdString(spec.name));
                QVERIFY(combo);
                combo->setCurrentIndex(int(v));
                QCOMPARE(spy.count(), 1);
                QCOMPARE(spy.last().at(0).value<Recipe>().param(spec.name), v);
                continue;
            }
            QAbstractSpinBox* box = editor.paramBox(QString::fromStdString(spec.name));
            QVERIFY(box);
            if (auto* spin = qobject_cast<QSpinBox*>(box))
                spin->setValue(int(v));
            else
                static_cast<QDoubleSpinBox*>(box)->setValue(v);
            QCOMPARE(spy.count(), 1);
            QVERIFY(std::abs(spy.last().at(0).value<Recipe>().param(spec.name) - v) < 1e-6);
        }
    }

    void queuedSignalCarriesTheRecipe()
    {
        RecipeEditor editor;
        Recipe received;
        QObject receiver;
        connect(&editor, &RecipeEditor::recipeEdited, &receiver, [&](const Recipe& r) { received = r; },
                Qt::QueuedConnection);
        editor.bitsBox()->setValue(5);
        QTRY_COMPARE(received.bits, 5);
    }

    void rendersForTheProjector()
    {
        RecipeEditor editor;
        Recipe r;
        r.bits = 4;
        r.groupSize = 128;
        editor.setRecipe(r);
        editor.setSelectionCount(3);
        editor.setMixed(true);
        editor.resize(420, 640);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        const QString dir = QStringLiteral(SALIENCE_BINARY_DIR "/screenshots");
        QDir().mkpath(dir);
        QTest::qWait(30);
        QVERIFY(editor.grab().save(dir + "/recipeeditor_rtn.png"));
        r.method = "none";
        editor.setRecipe(r);
        editor.setSelectionCount(1);
        editor.setMixed(false);
        QTest::qWait(30);
        QVERIFY(editor.grab().save(dir + "/recipeeditor_none.png"));
    }
};

QTEST_MAIN(TestRecipeEditor)
#include "test_recipeeditor.moc"
