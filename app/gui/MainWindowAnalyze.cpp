// The Analyze menu: the end-to-end sensitivity of each layer with the allocation of a budget
// from it (applied as an undoable plan), and several methods compared at one budget. Each runs
// as a background job whose result goes to its view, a dock beside the model overview.
#include "MainWindow.h"

#include "PlanDiff.h"

#include "base/Error.h"
#include "eval/TextHalves.h"
#include "eval/TokenizerLookup.h"
#include "model/ModelFingerprint.h"
#include "quant/MethodRegistry.h"
#include "run/Capture.h"
#include "run/SensitivityFile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStatusBar>

#include <algorithm>
#include <limits>

namespace salience::gui {

namespace {

// Tokens of one part of a text file (without BOS) and the BOS its windows start with.
struct TextTokens {
    std::vector<int32_t> tokens;
    int32_t bos = -1;
};

TextTokens textTokens(const Model& model, const QString& path, const QString& partName, qint64 maxTokens)
{
    const TextPart part = parseTextPart(partName.toStdString(), "part");
    const Tokenizer tokenizer = tokenizerFor(model, {});
    const std::string text = readTextFile(path.toStdString());
    TextTokens out;
    out.bos = tokenizer.bosId();
    out.tokens = tokenizeText(tokenizer, std::string(textPart(text, part)), maxTokens);
    if (out.tokens.empty())
        throw InputError(path.toStdString(), std::string("its ") + textPartName(part) + " part gives no tokens");
    return out;
}

bool needActivations(const std::vector<Recipe>& recipes)
{
    return std::any_of(recipes.begin(), recipes.end(), [](const Recipe& r) {
        const MethodInfo* m = findMethod(r.method);
        return m && m->needsActivations;
    });
}

// Every token's layer inputs, as GPTQ's Hessian wants them all; no block sites.
std::shared_ptr<const ActivationStore> captureInputs(const Transformer& transformer, const TextTokens& text,
                                                     int64_t window, Progress& progress)
{
    CaptureOptions options;
    options.window = window;
    options.keepInputs = std::numeric_limits<int64_t>::max();
    options.sites = false;
    return std::make_shared<ActivationStore>(captureActivations(transformer, text.tokens, text.bos, options, progress));
}

// The file a table measured on `key` is kept in, under the cache folder: one file per set of
// inputs, so Run on the same model, text and candidates reopens it instead of measuring again.
QString sensitivityCacheFile(const SensitivityKey& key)
{
    QStringList parts{QString::fromStdString(key.modelFingerprint), QString::fromStdString(key.tokensHash),
                      QString::number(key.window), QString::fromStdString(key.base.toJson().dump()),
                      QString::fromUtf8(unitKindName(key.unitKind))};
    for (const SensitivityCandidate& c : key.candidates)
        parts << QString::fromStdString(c.label());
    const QByteArray digest = QCryptographicHash::hash(parts.join(QLatin1Char('\n')).toUtf8(), QCryptographicHash::Sha1);
    const QString dir = QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation)).filePath("sensitivity");
    QDir().mkpath(dir);
    return QDir(dir).filePath(QString::fromLatin1(digest.toHex()) + QStringLiteral(".json"));
}

// The plan's default recipe with another method: the method keeps only the budgets and
// parameters it has, and the uniform grid (a comparison's budget is counted on it).
Recipe recipeForMethod(const Recipe& base, const QString& method)
{
    Recipe r = base;
    r.method = method.toStdString();
    r.gridType.clear();
    const MethodInfo* info = findMethod(r.method);
    if (!info)
        throw InputError("compare", "unknown method '" + r.method + "'");
    if (!info->usesRank)
        r.rank = 0;
    if (!info->usesProtection)
        r.protectPercent = 0;
    std::erase_if(r.params, [info](const auto& p) { return info->param(p.first) == nullptr; });
    return r;
}

} // namespace

void MainWindow::createAnalysisDocks()
{
    m_sensitivityView = new SensitivityView(this);
    m_sensitivityDock = new QDockWidget(tr("Sensitivity"), this);
    m_sensitivityDock->setObjectName("SensitivityDock");
    m_sensitivityDock->setWidget(m_sensitivityView);
    m_comparisonView = new ComparisonView(this);
    m_comparisonDock = new QDockWidget(tr("Comparison"), this);
    m_comparisonDock->setObjectName("ComparisonDock");
    m_comparisonDock->setWidget(m_comparisonView);
    for (QDockWidget* dock : {m_sensitivityDock, m_comparisonDock}) {
        addDockWidget(Qt::BottomDockWidgetArea, dock);
        tabifyDockWidget(m_overviewDock, dock);
        dock->hide();
    }

    connect(m_sensitivityView, &SensitivityView::runRequested, this,
            [this](const SensitivitySettings& s) { runSensitivity(s); });
    connect(m_sensitivityView, &SensitivityView::applyRequested, this, [this] { applySensitivityPlan(); });
    connect(m_comparisonView, &ComparisonView::runRequested, this,
            [this](const ComparisonSettings& s) { runComparison(s); });
    // Results belong to the model they were measured on; a plan edit changes what Apply would change.
    connect(m_workspace, &Workspace::modelChanged, this, [this] {
        m_sensitivityView->clear();
        m_comparisonView->clear();
    });
    connect(m_workspace, &Workspace::planChanged, this, [this] {
        m_sensitivityView->setBaseRecipe(m_workspace->plan().defaultRecipe);
        updateSensitivityDiff();
    });
}

void MainWindow::showAnalysisDock(QDockWidget* dock)
{
    dock->show();
    // A tabbed dock comes to the front of its tabs when raise() changes its stacking order, so
    // it is lowered first: it may be on top already while another tab is in front.
    dock->lower();
    dock->raise();
    resizeDocks({dock}, {std::max(430, height() / 2)}, Qt::Vertical);
}

void MainWindow::showSensitivityView() { showAnalysisDock(m_sensitivityDock); }

void MainWindow::showComparisonView() { showAnalysisDock(m_comparisonDock); }

void MainWindow::updateSensitivityDiff()
{
    const SensitivityOutcome* outcome = m_sensitivityView->outcome();
    m_sensitivityView->setDiff(outcome ? planDiff(m_workspace->model(), m_workspace->plan(), outcome->plan)
                                       : std::vector<PlanChange>{});
}

bool MainWindow::runSensitivity(const SensitivitySettings& settings)
{
    if (!m_workspace->hasModel() || m_jobs->isBusy())
        return false;
    const Model model = m_workspace->model();
    const auto open = m_workspace->activations();
    const Recipe base = m_workspace->plan().defaultRecipe;
    const uint64_t generation = m_workspace->generation();
    const std::string candidatesSource = tr("Candidates").toStdString();
    return m_jobs->start(tr("Measure sensitivity"), [this, model, open, base, settings, generation,
                                                     candidatesSource](Progress& progress) -> JobController::Deliver {
        const SensitivityMeasure measure = parseSensitivityMeasure(settings.measure.toStdString(), "measure");
        std::vector<SensitivityCandidate> candidates;
        if (!settings.candidates.isEmpty()) {
            candidates = parseCandidates(settings.candidates.toStdString(), candidatesSource);
        } else {
            const MethodInfo* m = findMethod(base.method);
            candidates = m && m->usesRank ? defaultRankCandidates() : defaultBitCandidates();
        }
        const TextTokens text = textTokens(model, settings.textPath, settings.part, settings.tokens);
        Progress loading = progress.child(0.0, 0.03);
        const Transformer floatModel = Transformer::load(model, loading);
        Progress hashing = progress.child(0.03, 0.05);
        SensitivityKey key;
        key.modelFingerprint = modelFingerprint(model, hashing);
        key.tokensHash = calibrationTokensHash(text.tokens, text.bos, settings.window);
        key.window = settings.window;
        key.base = base;
        key.candidates = candidates;

        auto outcome = std::make_shared<SensitivityOutcome>();
        outcome->cacheFile = sensitivityCacheFile(key);
        const std::string cacheFile = outcome->cacheFile.toStdString();
        if (QFileInfo::exists(outcome->cacheFile)) {
            try {
                SensitivityTable cached = loadSensitivity(cacheFile);
                if (sensitivityKeyDifference(cached.key, key).empty()) {
                    outcome->table = std::move(cached);
                    outcome->reused = true;
                }
            } catch (const InputError&) {
                // A damaged cache file is measured again and replaced.
            }
        }
        Progress referencing = progress.child(0.05, 0.1);
        const CalibrationReference reference =
            CalibrationReference::compute(floatModel, text.tokens, text.bos, settings.window, 0, referencing);
        std::vector<Recipe> recipes{base};
        for (const auto& c : candidates)
            recipes.push_back(c.applyTo(base));
        std::shared_ptr<const ActivationStore> acts = open;
        if (!acts && needActivations(recipes)) {
            Progress capturing = progress.child(0.1, 0.15);
            acts = captureInputs(floatModel, text, settings.window, capturing);
        }
        if (!outcome->reused) {
            Progress measuring = progress.child(0.15, 0.85);
            outcome->table = measureSensitivity(model, floatModel, acts.get(), reference, base, candidates,
                                                key.modelFingerprint, {}, measuring);
            outcome->table.textSource = settings.textPath.toStdString();
            outcome->table.textPart = settings.part.toStdString();
            saveSensitivity(outcome->table, cacheFile);
        }
        outcome->allocation = allocateFromSensitivity(outcome->table, BudgetKind::Bits, settings.targetBits, measure);
        Progress checking = progress.child(0.85, 1.0);
        outcome->check = checkAllocation(model, floatModel, acts.get(), reference, outcome->allocation, 0, checking);
        outcome->plan = outcome->check.uniformIsBetter ? uniformPlan(outcome->allocation) : toPlan(outcome->allocation);
        return [this, outcome, generation] {
            if (!applies(generation))
                return;
            m_sensitivityView->showOutcome(outcome);
            updateSensitivityDiff();
            m_jobOutcome = tr("Sensitivity: %1 bits per weight allocated. %2")
                               .arg(outcome->allocation.achievedBitsPerWeight, 0, 'f', 3)
                               .arg(m_sensitivityView->verdictText());
        };
    });
}

bool MainWindow::applySensitivityPlan()
{
    const SensitivityOutcome* outcome = m_sensitivityView->outcome();
    if (!m_workspace->hasModel() || !outcome || m_jobs->isBusy())
        return false;
    const double bits = outcome->check.uniformIsBetter && outcome->check.uniform ? outcome->check.uniform->bitsPerWeight
                                                                                 : outcome->check.allocated.bitsPerWeight;
    m_workspace->replacePlan(outcome->plan, tr("Apply sensitivity allocation (%1 bits per weight)").arg(bits, 0, 'f', 3));
    statusBar()->showMessage(tr("Plan: the sensitivity allocation, %1 bits per weight (Edit ▸ Undo restores the "
                                "previous plan)")
                                 .arg(bits, 0, 'f', 3),
                             8000);
    return true;
}

bool MainWindow::runComparison(const ComparisonSettings& settings)
{
    if (!m_workspace->hasModel() || m_jobs->isBusy())
        return false;
    const Model model = m_workspace->model();
    const auto open = m_workspace->activations();
    const Recipe base = m_workspace->plan().defaultRecipe;
    const uint64_t generation = m_workspace->generation();
    const QString activationsName = m_workspace->activationsName();
    return m_jobs->start(tr("Compare methods"), [this, model, open, base, settings, generation,
                                                 activationsName](Progress& progress) -> JobController::Deliver {
        std::vector<Recipe> recipes;
        for (const QString& method : settings.methods)
            recipes.push_back(recipeForMethod(base, method));
        CompareOptions options;
        options.window = settings.window;
        if (settings.equalBudget)
            options.target = BudgetTarget{settings.targetBits, settings.tolerance};
        auto outcome = std::make_shared<ComparisonOutcome>();
        std::shared_ptr<const ActivationStore> acts = open;
        if (acts && needActivations(recipes))
            outcome->activationsNote = tr("Activation-aware methods used the open activations (%1).").arg(activationsName);
        if (!settings.textPath.isEmpty()) {
            const TextTokens text = textTokens(model, settings.textPath, settings.part, settings.tokens);
            options.textTokens = text.tokens;
            options.bos = text.bos;
            if (!acts && needActivations(recipes)) {
                // Tuned on the other half of the text than perplexity is measured on.
                const QString calibrationPart =
                    settings.part == QLatin1String("calibration") ? QStringLiteral("held-out") : QStringLiteral("calibration");
                const TextTokens calibration = textTokens(model, settings.textPath, calibrationPart, 2048);
                Progress loading = progress.child(0.0, 0.03);
                const Transformer floatModel = Transformer::load(model, loading);
                Progress capturing = progress.child(0.03, 0.1);
                acts = captureInputs(floatModel, calibration, settings.window, capturing);
                outcome->activationsNote = tr("Activation-aware methods used activations captured from %1 tokens of "
                                              "the %2 part of %3.")
                                               .arg(calibration.tokens.size())
                                               .arg(calibrationPart, QFileInfo(settings.textPath).fileName());
            }
        }
        Progress comparing = progress.child(0.1, 1.0);
        outcome->result = compareMethods(model, acts.get(), recipes, options, comparing);
        return [this, outcome, generation] {
            if (!applies(generation))
                return;
            m_comparisonView->showOutcome(outcome);
            m_jobOutcome = tr("Compared %n method(s)", nullptr, int(outcome->result.methods.size()));
        };
    });
}

} // namespace salience::gui
