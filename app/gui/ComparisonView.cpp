#include "ComparisonView.h"

#include "TextFileField.h"
#include "ViewControls.h"

#include "MethodComparisonPlot.h"
#include "MethodText.h"

#include "quant/MethodRegistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace salience::gui {

namespace {

constexpr int kMethodRole = Qt::UserRole;

QTableWidgetItem* cell(const QString& text, bool number)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(number ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    return item;
}

} // namespace

ComparisonView::ComparisonView(QWidget* parent)
    : QWidget(parent), m_methods(new QListWidget(this)), m_equalBudget(new QCheckBox(tr("At equal bits per weight"), this)),
      m_target(new QDoubleSpinBox(this)), m_tolerance(new QDoubleSpinBox(this)),
      m_text(new TextFileField(tr("Text for Perplexity"), this)), m_part(createTextPartBox(QStringLiteral("held-out"), this)),
      m_tokens(createTokenCountBox(tr("Tokens of that part to measure perplexity on (0: all)."), this)), m_run(new QPushButton(tr("Run"), this)), m_table(new QTableWidget(this)),
      m_note(new QLabel(this)), m_logY(new QCheckBox(tr("Log scale"), this)),
      m_plot(new widgets::MethodComparisonPlot(this))
{
    setObjectName("ComparisonView");
    m_run->setObjectName("comparisonRun");
    m_text->lineEdit()->setObjectName("comparisonText");
    for (const MethodInfo& m : methodRegistry()) {
        if (!m.quantizes)
            continue;
        auto* item = new QListWidgetItem(QString::fromStdString(m.name), m_methods);
        item->setData(kMethodRole, QString::fromStdString(m.name));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        item->setToolTip(widgets::methodTitle(m));
    }
    m_methods->setToolTip(tr("The methods to compare. Activation-aware ones use the open activations, or capture "
                             "them from the text's calibration half."));
    m_equalBudget->setToolTip(tr("Set each method's budget parameter (bits and group size, protected share, rank, "
                                 "sparsity, codebook bits) so that every method stores the target; otherwise each "
                                 "takes the plan's default recipe as it is."));
    m_target->setRange(1.0, 32.0);
    m_target->setDecimals(3);
    m_target->setSingleStep(0.25);
    m_target->setToolTip(tr("Average bits per weight over the quantized layers, every side array counted."));
    m_tolerance->setRange(0.001, 4.0);
    m_tolerance->setDecimals(3);
    m_tolerance->setSingleStep(0.01);
    m_tolerance->setToolTip(tr("How far from the target a method may land; one that cannot is not run."));
    m_text->lineEdit()->setPlaceholderText(tr("optional: a text for perplexity"));
    m_note->setWordWrap(true);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_equalBudget);
    form->addRow(tr("Target bits/weight"), m_target);
    form->addRow(tr("Tolerance"), m_tolerance);
    form->addRow(tr("Text file"), m_text);
    form->addRow(tr("Part"), m_part);
    form->addRow(tr("Tokens"), m_tokens);
    auto* controls = new QWidget(this);
    auto* controlsLayout = new QVBoxLayout(controls);
    controlsLayout->setContentsMargins(4, 4, 4, 4);
    controlsLayout->addWidget(new QLabel(tr("Methods"), controls));
    controlsLayout->addWidget(m_methods, 1);
    controlsLayout->addLayout(form);
    controlsLayout->addWidget(m_run);

    m_table->setColumnCount(ColumnCount);
    m_table->setHorizontalHeaderLabels({tr("Method"), tr("Bits/w"), tr("Perplexity"), tr("Rank"), tr("Mean rel. error"),
                                        tr("Set for the budget"), tr("Stores")});
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto* tablePane = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_note);
    auto* plotPane = new QWidget(this);
    auto* plotLayout = new QVBoxLayout(plotPane);
    plotLayout->setContentsMargins(0, 0, 0, 0);
    plotLayout->addWidget(m_plot, 1);
    plotLayout->addWidget(m_logY);

    auto* results = new QSplitter(Qt::Horizontal, this);
    results->addWidget(tablePane);
    results->addWidget(plotPane);
    results->setChildrenCollapsible(false);
    results->setStretchFactor(0, 0);
    results->setStretchFactor(1, 1);
    results->setSizes({600, 640});
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(scrollable(controls, this));
    splitter->addWidget(results);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({280, 1200});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_run, &QPushButton::clicked, this, [this] {
        remember();
        emit runRequested(settings());
    });
    connect(m_methods, &QListWidget::itemChanged, this, &ComparisonView::updateButtons);
    connect(m_equalBudget, &QCheckBox::toggled, this, [this](bool on) {
        m_target->setEnabled(on);
        m_tolerance->setEnabled(on);
    });
    connect(m_logY, &QCheckBox::toggled, m_plot, &widgets::MethodComparisonPlot::setLogY);

    QSettings s;
    ComparisonSettings remembered;
    if (s.contains("comparison/methods"))
        remembered.methods = s.value("comparison/methods").toStringList();
    remembered.equalBudget = s.value("comparison/equalBudget", remembered.equalBudget).toBool();
    remembered.targetBits = s.value("comparison/targetBits", remembered.targetBits).toDouble();
    remembered.tolerance = s.value("comparison/tolerance", remembered.tolerance).toDouble();
    remembered.textPath = s.value("comparison/text", s.value("evaluate/text", s.value("capture/text"))).toString();
    remembered.part = s.value("comparison/part", remembered.part).toString();
    remembered.tokens = s.value("comparison/tokens", remembered.tokens).toLongLong();
    setSettings(remembered);
    clear();
}

ComparisonSettings ComparisonView::settings() const
{
    ComparisonSettings s;
    s.methods.clear();
    for (int i = 0; i < m_methods->count(); ++i)
        if (m_methods->item(i)->checkState() == Qt::Checked)
            s.methods << m_methods->item(i)->data(kMethodRole).toString();
    s.equalBudget = m_equalBudget->isChecked();
    s.targetBits = m_target->value();
    s.tolerance = m_tolerance->value();
    s.textPath = m_text->path();
    s.part = m_part->currentData().toString();
    s.tokens = m_tokens->value();
    return s;
}

void ComparisonView::setSettings(const ComparisonSettings& s)
{
    for (int i = 0; i < m_methods->count(); ++i) {
        QListWidgetItem* item = m_methods->item(i);
        item->setCheckState(s.methods.contains(item->data(kMethodRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
    m_equalBudget->setChecked(s.equalBudget);
    m_target->setEnabled(s.equalBudget);
    m_tolerance->setEnabled(s.equalBudget);
    m_target->setValue(s.targetBits);
    m_tolerance->setValue(s.tolerance);
    m_text->setPath(s.textPath);
    m_part->setCurrentIndex(std::max(0, m_part->findData(s.part)));
    m_tokens->setValue(int(std::clamp<qint64>(s.tokens, m_tokens->minimum(), m_tokens->maximum())));
    updateButtons();
}

void ComparisonView::remember() const
{
    const ComparisonSettings current = settings();
    QSettings s;
    s.setValue("comparison/methods", current.methods);
    s.setValue("comparison/equalBudget", current.equalBudget);
    s.setValue("comparison/targetBits", current.targetBits);
    s.setValue("comparison/tolerance", current.tolerance);
    s.setValue("comparison/text", current.textPath);
    s.setValue("comparison/part", current.part);
    s.setValue("comparison/tokens", current.tokens);
}

void ComparisonView::showOutcome(std::shared_ptr<const ComparisonOutcome> outcome)
{
    m_outcome = std::move(outcome);
    if (!m_outcome) {
        clear();
        return;
    }
    m_plot->setComparison(m_outcome->result);
    showTable();
}

void ComparisonView::showTable()
{
    const CompareResult& r = m_outcome->result;
    const bool output = m_plot->showsOutputError();
    m_table->setHorizontalHeaderLabels({tr("Method"), tr("Bits/w"), tr("Perplexity"), tr("Rank"),
                                        output ? tr("Mean rel. output error") : tr("Mean rel. weight error"),
                                        tr("Set for the budget"), tr("Stores")});
    std::vector<int> rankOf(r.methods.size(), 0);
    const std::vector<size_t> ranked = r.ranking();
    for (size_t k = 0; k < ranked.size(); ++k)
        rankOf[ranked[k]] = int(k) + 1;
    const QString dash = QStringLiteral("—");
    m_table->setRowCount(0);
    const auto addRow = [&](const QStringList& texts, const QString& why) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        for (int c = 0; c < ColumnCount; ++c) {
            QTableWidgetItem* item = cell(texts.value(c), c >= BitsColumn && c <= ErrorColumn);
            if (!why.isEmpty()) {
                // Off the budget: greyed, and why on hover.
                QFont font = item->font();
                font.setItalic(true);
                item->setFont(font);
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
                item->setToolTip(why);
            }
            m_table->setItem(row, c, item);
        }
    };
    if (r.floatPerplexity)
        addRow({tr("float"), dash, QString::number(r.floatPerplexity->perplexity, 'f', 3), dash, dash, dash, dash}, {});
    for (size_t i = 0; i < r.methods.size(); ++i) {
        const CompareSummary& s = r.methods[i];
        const std::optional<double> error = output ? s.meanRelativeOutputError : std::optional(s.meanRelativeWeightError);
        const bool off = s.budget && !s.budget->reached;
        addRow({QString::fromStdString(s.method) + (off ? tr(" (off the budget)") : QString()),
                QString::number(s.averageBitsPerWeight, 'f', 3),
                s.perplexity ? QString::number(s.perplexity->perplexity, 'f', 3) : dash,
                rankOf[i] > 0 ? QString::number(rankOf[i]) : dash, error ? QString::number(*error, 'f', 5) : dash,
                s.budget ? QString::fromStdString(s.budget->describeSet()) : dash,
                QString::fromStdString(s.recipe.summary())},
               off ? QString::fromStdString(s.budget->reason) : QString());
    }
    for (const CompareUnreached& u : r.unreached)
        addRow({QString::fromStdString(u.method) + tr(" (not run)"), QString::number(u.fit.bitsPerWeight, 'f', 3),
                tr("cannot reach the budget"), dash, dash, QString::fromStdString(u.fit.describeSet()),
                QString::fromStdString(u.fit.recipe.summary())},
               QString::fromStdString(u.fit.reason));
    m_table->resizeColumnsToContents();

    QStringList notes;
    if (r.target)
        notes << tr("Each method's budget parameter is set so that it stores %1 ± %2 bits per weight.")
                     .arg(r.target->bitsPerWeight, 0, 'f', 3)
                     .arg(r.target->tolerance, 0, 'f', 3);
    if (!ranked.empty())
        notes << tr("Ranked by %1 (1 = best).").arg(QString::fromStdString(r.rankedBy()).replace(u'_', u' '));
    for (const CompareUnreached& u : r.unreached)
        notes << tr("%1 not run: %2").arg(QString::fromStdString(u.method), QString::fromStdString(u.fit.reason));
    if (!m_outcome->activationsNote.isEmpty())
        notes << m_outcome->activationsNote;
    if (r.floatPerplexity)
        notes << tr("Perplexity over %1 tokens in %2 windows.").arg(r.floatPerplexity->tokens).arg(r.floatPerplexity->windows);
    m_note->setText(notes.join(QLatin1Char(' ')));
}

QString ComparisonView::noteText() const { return m_note->text(); }

void ComparisonView::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void ComparisonView::clear()
{
    m_outcome.reset();
    m_plot->clear();
    m_table->setRowCount(0);
    m_note->setText(tr("Methods spend bits in different ways (scales, a low-rank correction, protected weights, a "
                       "codebook, a pruning mask): at equal bits per weight, which one wins, and on which layers?"));
}

void ComparisonView::setTheme(widgets::PlotTheme theme) { m_plot->setTheme(theme); }

void ComparisonView::updateButtons() { m_run->setEnabled(!m_busy && !settings().methods.isEmpty()); }

} // namespace salience::gui
