#include "SensitivityView.h"

#include "TextFileField.h"
#include "ViewControls.h"

#include "SensitivityHeatmap.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace salience::gui {

namespace {

QString candidateList(const std::vector<SensitivityCandidate>& candidates)
{
    QStringList labels;
    for (const auto& c : candidates)
        labels << QString::fromStdString(c.label());
    return labels.join(QLatin1Char(','));
}

QTableWidgetItem* cell(const QString& text, bool number = true)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(number ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    return item;
}

} // namespace

SensitivityView::SensitivityView(QWidget* parent)
    : QWidget(parent), m_text(new TextFileField(tr("Calibration Text"), this)),
      m_part(createTextPartBox(QStringLiteral("calibration"), this)),
      m_tokens(createTokenCountBox(tr("Calibration tokens of that part (0: all). Every cell runs the model over them."),
                                   this)),
      m_window(new QSpinBox(this)), m_candidates(new QLineEdit(this)),
      m_measure(new QComboBox(this)), m_target(new QDoubleSpinBox(this)), m_base(new QLabel(this)),
      m_run(new QPushButton(tr("Run"), this)), m_status(new QLabel(this)),
      m_heatmap(new widgets::SensitivityHeatmap(this)), m_verdict(new QLabel(this)), m_check(new QTableWidget(this)),
      m_diffHeader(new QLabel(this)), m_diffList(new QTreeWidget(this)), m_apply(new QPushButton(tr("Apply as Plan"), this))
{
    setObjectName("SensitivityView");
    m_text->lineEdit()->setObjectName("sensitivityText");
    m_run->setObjectName("sensitivityRun");
    m_apply->setObjectName("sensitivityApply");
    m_part->setToolTip(tr("Which half of the text to measure on: tune on the calibration half, judge perplexity "
                          "on the held-out half (Run ▸ Evaluate Perplexity)."));
    m_window->setRange(2, 1'000'000);
    m_window->setToolTip(tr("Tokens per window, the BOS token included."));
    m_candidates->setPlaceholderText(tr("default: %1").arg(candidateList(defaultBitCandidates())));
    m_candidates->setToolTip(tr("Candidate recipes, comma-separated; each changes some of the base recipe: 4g32 (4 "
                                "bits, groups of 32), 3g128, g0 (per channel), r16 (rank), gptq:3g128."));
    m_measure->addItem(tr("KL divergence"), QStringLiteral("kl"));
    m_measure->addItem(tr("NLL change"), QStringLiteral("nll"));
    m_measure->setToolTip(tr("The damage the allocation minimises: the mean KL(P_float ‖ P_quantized) of the next-token "
                             "distributions, or the mean NLL change."));
    m_target->setRange(1.0, 32.0);
    m_target->setDecimals(3);
    m_target->setSingleStep(0.125);
    m_target->setToolTip(tr("The average bits per weight to spend over the quantized layers, every side array "
                            "counted. The heatmap's columns say what each candidate spends on every layer."));
    m_base->setWordWrap(true);
    m_status->setWordWrap(true);
    m_verdict->setWordWrap(true);
    m_verdict->setTextFormat(Qt::PlainText);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Text file"), m_text);
    form->addRow(tr("Part"), m_part);
    form->addRow(tr("Tokens"), m_tokens);
    form->addRow(tr("Window"), m_window);
    form->addRow(tr("Candidates"), m_candidates);
    form->addRow(tr("Measure"), m_measure);
    form->addRow(tr("Target bits/weight"), m_target);
    auto* controls = new QWidget(this);
    auto* controlsLayout = new QVBoxLayout(controls);
    controlsLayout->setContentsMargins(4, 4, 4, 4);
    controlsLayout->addLayout(form);
    controlsLayout->addWidget(m_base);
    controlsLayout->addWidget(m_run);
    controlsLayout->addWidget(m_status);
    controlsLayout->addStretch(1);

    m_check->setColumnCount(5);
    m_check->setHorizontalHeaderLabels({tr("Plan"), tr("Bits/w"), tr("Predicted"), tr("KL measured"), tr("Perplexity")});
    m_check->verticalHeader()->hide();
    m_check->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_check->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_check->setToolTip(tr("Each plan run end to end on the calibration tokens: the KL of its next-token distributions "
                           "from the float model's, and its perplexity there. Predicted: the sum of each layer's KL "
                           "measured alone."));
    m_check->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_check->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_diffHeader->setWordWrap(true);
    m_diffList->setColumnCount(3);
    m_diffList->setHeaderLabels({tr("Layer"), tr("Current"), tr("Allocated")});
    m_diffList->setRootIsDecorated(false);
    m_diffList->setUniformRowHeights(true);
    m_diffList->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_apply->setToolTip(tr("Replace the plan by the allocated one (one step: Edit ▸ Undo restores the current plan)."));
    auto* results = new QWidget(this);
    auto* resultsLayout = new QVBoxLayout(results);
    resultsLayout->setContentsMargins(4, 4, 4, 4);
    resultsLayout->addWidget(m_verdict);
    resultsLayout->addWidget(m_check);
    resultsLayout->addWidget(m_diffHeader);
    resultsLayout->addWidget(m_diffList, 1);
    resultsLayout->addWidget(m_apply);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(scrollable(controls, this));
    splitter->addWidget(m_heatmap);
    splitter->addWidget(scrollable(results, this));
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({300, 620, 600});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_run, &QPushButton::clicked, this, [this] {
        remember();
        emit runRequested(settings());
    });
    connect(m_apply, &QPushButton::clicked, this, &SensitivityView::applyRequested);
    connect(m_text, &TextFileField::pathChanged, this, &SensitivityView::updateButtons);
    connect(m_measure, &QComboBox::currentIndexChanged, this, [this] {
        if (m_heatmap->hasData())
            m_heatmap->setMeasure(settings().measure == QLatin1String("nll") ? SensitivityMeasure::NllDelta
                                                                            : SensitivityMeasure::Kl);
    });

    QSettings s;
    SensitivitySettings remembered;
    // The last text of any run: a sensitivity's, else an evaluation's or a capture's.
    remembered.textPath = s.value("sensitivity/text", s.value("evaluate/text", s.value("capture/text"))).toString();
    remembered.part = s.value("sensitivity/part", remembered.part).toString();
    remembered.tokens = s.value("sensitivity/tokens", remembered.tokens).toLongLong();
    remembered.window = s.value("sensitivity/window", remembered.window).toLongLong();
    remembered.candidates = s.value("sensitivity/candidates").toString();
    remembered.measure = s.value("sensitivity/measure", remembered.measure).toString();
    remembered.targetBits = s.value("sensitivity/targetBits", remembered.targetBits).toDouble();
    setSettings(remembered);
    clear();
}

SensitivitySettings SensitivityView::settings() const
{
    SensitivitySettings s;
    s.textPath = m_text->path();
    s.part = m_part->currentData().toString();
    s.tokens = m_tokens->value();
    s.window = m_window->value();
    s.candidates = m_candidates->text().trimmed();
    s.measure = m_measure->currentData().toString();
    s.targetBits = m_target->value();
    return s;
}

void SensitivityView::setSettings(const SensitivitySettings& s)
{
    m_text->setPath(s.textPath);
    m_part->setCurrentIndex(std::max(0, m_part->findData(s.part)));
    m_tokens->setValue(int(std::clamp<qint64>(s.tokens, m_tokens->minimum(), m_tokens->maximum())));
    m_window->setValue(int(std::clamp<qint64>(s.window, m_window->minimum(), m_window->maximum())));
    m_candidates->setText(s.candidates);
    m_measure->setCurrentIndex(std::max(0, m_measure->findData(s.measure)));
    m_target->setValue(s.targetBits);
    updateButtons();
}

void SensitivityView::remember() const
{
    const SensitivitySettings current = settings();
    QSettings s;
    s.setValue("sensitivity/text", current.textPath);
    s.setValue("sensitivity/part", current.part);
    s.setValue("sensitivity/tokens", current.tokens);
    s.setValue("sensitivity/window", current.window);
    s.setValue("sensitivity/candidates", current.candidates);
    s.setValue("sensitivity/measure", current.measure);
    s.setValue("sensitivity/targetBits", current.targetBits);
}

void SensitivityView::setBaseRecipe(const Recipe& recipe)
{
    m_base->setText(tr("Base recipe: %1 (the plan's default); each candidate changes its bits and group size, or "
                       "what it names.")
                        .arg(QString::fromStdString(recipe.summary())));
}

void SensitivityView::showOutcome(std::shared_ptr<const SensitivityOutcome> outcome)
{
    m_outcome = std::move(outcome);
    if (!m_outcome) {
        clear();
        return;
    }
    const SensitivityTable& table = m_outcome->table;
    m_heatmap->setTable(table, m_outcome->allocation.measure);
    m_heatmap->setAllocation(m_outcome->allocation);
    const QString cells = tr("%1 × %2 candidates on %3 tokens")
                              .arg(widgets::SensitivityHeatmap::unitsText(table.key.unitKind, int(table.units.size())))
                              .arg(table.candidates().size())
                              .arg(table.tokens);
    m_status->setText(m_outcome->reused
                          ? tr("Reopened %1, measured earlier on the same model, tokens and candidates.").arg(cells)
                          : tr("Measured %1.").arg(cells));
    m_status->setToolTip(tr("Kept in %1").arg(QDir::toNativeSeparators(m_outcome->cacheFile)));
    showCheck();
    updateButtons();
}

void SensitivityView::showCheck()
{
    const SensitivityOutcome& o = *m_outcome;
    const SensitivityAllocation& a = o.allocation;
    const bool kl = a.measure == SensitivityMeasure::Kl;
    m_check->setHorizontalHeaderLabels({tr("Plan"), tr("Bits/w"), kl ? tr("Predicted KL") : tr("Predicted ΔNLL"),
                                        tr("KL measured"), tr("Perplexity")});
    const double floatNll = o.table.floatNll;
    const auto row = [&](int r, const QString& name, double bits, const QString& predicted, const QString& measured,
                         double nll) {
        m_check->setItem(r, 0, cell(name, false));
        m_check->setItem(r, 1, cell(bits > 0 ? QString::number(bits, 'f', 3) : QStringLiteral("—")));
        m_check->setItem(r, 2, cell(predicted));
        m_check->setItem(r, 3, cell(measured));
        m_check->setItem(r, 4, cell(QString::number(std::exp(nll), 'f', 3)));
    };
    const auto measured = [](const PlanMeasurement& m) {
        return QStringLiteral("%1 ± %2").arg(m.kl, 0, 'f', 5).arg(m.klStdError, 0, 'f', 5);
    };
    m_check->setRowCount(o.check.uniform ? 3 : 2);
    int r = 0;
    row(r++, tr("allocated"), o.check.allocated.bitsPerWeight, QString::number(a.predicted, 'f', 5),
        measured(o.check.allocated), floatNll + o.check.allocated.nllDelta);
    if (o.check.uniform && a.uniform)
        row(r++, tr("uniform %1").arg(QString::fromStdString(a.uniform->label)), o.check.uniform->bitsPerWeight,
            QString::number(a.uniform->predicted, 'f', 5), measured(*o.check.uniform), floatNll + o.check.uniform->nllDelta);
    row(r, tr("float model"), 0, QStringLiteral("—"), QStringLiteral("0"), floatNll);
    m_check->resizeColumnsToContents();
    fitCheckTable();

    QString verdict = tr("Allocated %1 bits per weight over %2 (target %3), predicted %4 %5 as the sum of each "
                         "alone. Measured end to end on %6 calibration tokens:")
                          .arg(a.achievedBitsPerWeight, 0, 'f', 3)
                          .arg(widgets::SensitivityHeatmap::unitsText(o.table.key.unitKind, int(a.units.size())))
                          .arg(a.target, 0, 'f', 3)
                          .arg(kl ? tr("KL") : tr("NLL change"))
                          .arg(a.predicted, 0, 'f', 4)
                          .arg(o.table.tokens);
    m_verdict->setText(verdict);
    m_verdict->setToolTip(verdictText());
}

QString SensitivityView::verdictText() const
{
    if (!m_outcome)
        return QString();
    const SensitivityOutcome& o = *m_outcome;
    if (!o.check.uniform || !o.allocation.uniform)
        return tr("No candidate fits the budget on every layer: nothing uniform to compare with.");
    const QString uniform = QString::fromStdString(o.allocation.uniform->label);
    if (o.check.uniformIsBetter)
        return tr("The allocation does not beat uniform %1 on the calibration tokens: Apply sets uniform %1.").arg(uniform);
    return tr("The allocation beats uniform %1 on the calibration tokens.").arg(uniform);
}

void SensitivityView::setDiff(const std::vector<PlanChange>& changes)
{
    m_diff = changes;
    m_diffList->clear();
    for (const PlanChange& c : changes) {
        auto* item = new QTreeWidgetItem(m_diffList);
        item->setText(0, c.layer);
        item->setText(1, QString::fromStdString(c.before.summary()));
        item->setText(2, QString::fromStdString(c.after.summary()));
        item->setToolTip(0, c.layer);
    }
    if (!m_outcome)
        m_diffHeader->clear();
    else if (changes.empty())
        m_diffHeader->setText(verdictText() + QLatin1Char(' ') + tr("The plan already is this one."));
    else
        m_diffHeader->setText(verdictText() + QLatin1Char(' ') +
                              tr("Apply as plan changes %n layer(s):", nullptr, int(changes.size())));
    updateButtons();
}

void SensitivityView::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void SensitivityView::clear()
{
    m_outcome.reset();
    m_heatmap->clear();
    m_status->setText(tr("Each layer is quantized alone with each candidate, the rest of the model in float, and the "
                         "whole model runs on the text. Run reopens a table measured before on the same inputs."));
    m_verdict->clear();
    m_check->setRowCount(0);
    fitCheckTable();
    setDiff({});
}

void SensitivityView::fitCheckTable()
{
    // As tall as its rows: three rows need no scroll bar, and the diff below gets the rest.
    m_check->resizeRowsToContents();
    m_check->setFixedHeight(m_check->horizontalHeader()->sizeHint().height() + m_check->verticalHeader()->length() +
                            2 * m_check->frameWidth() + m_check->horizontalScrollBar()->sizeHint().height());
}

void SensitivityView::setTheme(widgets::PlotTheme theme) { m_heatmap->setTheme(theme); }

void SensitivityView::updateButtons()
{
    m_run->setEnabled(!m_busy && !m_text->path().isEmpty());
    m_apply->setEnabled(!m_busy && m_outcome && !m_diff.empty());
}

} // namespace salience::gui
