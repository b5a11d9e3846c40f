#include "RecipeEditor.h"

#include "MethodText.h"

#include "quant/GgmlQuantize.h"
#include "quant/MethodRegistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

namespace salience::widgets {

namespace {

constexpr int kCustomGroup = INT_MIN; // item data of the "custom" group entry

// Enough decimals to show a parameter's range with three significant steps.
int decimalsFor(const ParamSpec& spec)
{
    const double range = std::max(spec.maxValue - spec.minValue, 1e-12);
    return std::clamp(int(std::ceil(-std::log10(range))) + 3, 2, 6);
}

QString defaultChoice(const ParamSpec& spec)
{
    const auto index = size_t(std::clamp(spec.defaultValue, 0.0, double(spec.choices.size() - 1)));
    return QString::fromStdString(spec.choices[index]);
}

double roundedTo(double value, int decimals)
{
    return QString::number(value, 'f', decimals).toDouble();
}

// Whether `info` quantizes onto ggml block formats: asked of Recipe::validate, which decides it.
bool acceptsGgmlGrid(const MethodInfo* info)
{
    if (!info || !info->quantizes)
        return false;
    Recipe r;
    r.method = info->name;
    r.gridType = "Q4_K";
    try {
        r.validate("recipe editor");
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// The block formats a recipe's grid can be, in core's order ("Q4_0", ...).
QStringList ggmlGridTypes()
{
    return QString::fromStdString(ggmlGridTypeList()).split(QStringLiteral(", "), Qt::SkipEmptyParts);
}

} // namespace

RecipeEditor::RecipeEditor(QWidget* parent)
    : QWidget(parent)
    , m_selection(new QLabel(this))
    , m_method(new QComboBox(this))
    , m_methodDescription(new QLabel(this))
    , m_gridType(new QComboBox(this))
    , m_bits(new QSpinBox(this))
    , m_group(new QComboBox(this))
    , m_customGroup(new QSpinBox(this))
    , m_symmetric(new QCheckBox(tr("Symmetric grid (zero point fixed at the middle)"), this))
    , m_rank(new QSpinBox(this))
    , m_protect(new QDoubleSpinBox(this))
    , m_paramGroup(new QGroupBox(tr("Method parameters"), this))
    , m_paramForm(new QFormLayout(m_paramGroup))
    , m_hint(new QLabel(this))
{
    m_selection->setWordWrap(true);
    QFont bold = m_selection->font();
    bold.setBold(true);
    m_selection->setFont(bold);

    for (const MethodInfo& info : methodRegistry()) {
        m_method->addItem(tr("%1 (%2)").arg(methodTitle(info), QString::fromStdString(info.name)),
                          QString::fromStdString(info.name));
        m_method->setItemData(m_method->count() - 1, methodDescription(info), Qt::ToolTipRole);
    }
    m_method->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_method->setToolTip(tr("How the layer's weights are quantized. Help ▸ Method Glossary explains each method."));
    m_methodDescription->setWordWrap(true);
    m_methodDescription->setForegroundRole(QPalette::PlaceholderText);

    m_gridType->addItem(tr("Uniform (bits, group, symmetry below)"), QString());
    m_gridType->setItemData(0, tr("Salience's own grid: 2^bits levels, one scale (and zero point) per group."),
                            Qt::ToolTipRole);
    for (const QString& name : ggmlGridTypes()) {
        const auto type = ggmlTypeFromName(name.toStdString());
        if (!type)
            continue;
        QString family;
        if (name == QLatin1String("IQ4_NL"))
            family = tr("llama.cpp non-linear 4-bit levels");
        else if (name.endsWith(QLatin1String("_K")))
            family = tr("llama.cpp K-quant");
        else
            family = tr("llama.cpp block format");
        m_gridType->addItem(tr("%1 — %2, %3 bits/weight")
                                .arg(name, family, QString::number(ggmlBitsPerWeight(*type), 'g', 6)),
                            name);
    }
    m_gridType->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_gridType->setToolTip(tr("The grid the weights are rounded onto. A llama.cpp block format writes llama.cpp's own "
                              "blocks, which a GGUF export copies unchanged; bits, group size and symmetry are then "
                              "the format's own. A layer whose rows are not whole blocks falls back as "
                              "llama-quantize does (Q4_K to Q5_0, ...). Every method with a grid quantizes onto "
                              "these formats; what a GGUF cannot hold (input scales, a rotation, sparse weights, "
                              "low-rank factors) is rounded into the file when it is exported."));

    m_bits->setRange(2, 8);
    m_bits->setSuffix(tr(" bits"));
    m_bits->setToolTip(tr("Bits per quantized weight: 2^bits grid points."));

    m_group->addItem(tr("per channel"), 0);
    m_group->addItem(tr("per tensor"), -1);
    for (int size : {32, 64, 128, 256})
        m_group->addItem(QString::number(size), size);
    m_group->addItem(tr("custom"), kCustomGroup);
    m_group->setToolTip(tr("How many consecutive input columns share one scale (and zero point): a group of "
                           "columns, a whole output channel, or the whole tensor."));
    m_customGroup->setRange(1, 1 << 20);
    m_customGroup->setValue(96);
    m_customGroup->setSuffix(tr(" columns"));
    m_customGroup->setToolTip(tr("Group size when “custom” is chosen."));
    auto* groupRow = new QHBoxLayout;
    groupRow->setContentsMargins(0, 0, 0, 0);
    groupRow->addWidget(m_group, 1);
    groupRow->addWidget(m_customGroup, 1);
    m_groupRow = groupRow;

    m_symmetric->setToolTip(tr("Symmetric grids store only a scale; asymmetric ones also a zero point, which fits "
                               "skewed weight ranges better."));
    m_rank->setRange(0, 4096);
    m_rank->setToolTip(tr("Rank of the low-rank correction kept in full precision (0: none)."));
    m_protect->setRange(0.0, 100.0);
    m_protect->setSingleStep(0.1);
    m_protect->setDecimals(2);
    m_protect->setSuffix(tr(" %"));
    m_protect->setToolTip(tr("Share of the most salient weights kept in full precision."));

    auto* form = new QFormLayout;
    m_form = form;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Method"), m_method);
    form->addRow(QString(), m_methodDescription);
    form->addRow(tr("Grid"), m_gridType);
    form->addRow(tr("Bits"), m_bits);
    form->addRow(tr("Group size"), groupRow);
    form->addRow(QString(), m_symmetric);
    form->addRow(tr("Rank budget"), m_rank);
    form->addRow(tr("Protect"), m_protect);
    m_paramForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_hint->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_selection);
    layout->addLayout(form);
    layout->addWidget(m_paramGroup);
    layout->addWidget(m_hint);
    layout->addStretch(1);

    connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating)
            return;
        rebuildParams(m_base.params);
        // A method that cannot quantize onto a block format goes back to the uniform grid, so the
        // edit never makes an invalid recipe; "none" ignores the grid and keeps it for later.
        const MethodInfo* info = findMethod(m_method->currentData().toString().toStdString());
        if (info && info->quantizes && !acceptsGgmlGrid(info)) {
            const QSignalBlocker block(m_gridType);
            m_gridType->setCurrentIndex(0);
        }
        onUserEdit();
    });
    connect(m_gridType, &QComboBox::currentIndexChanged, this, &RecipeEditor::onUserEdit);
    connect(m_bits, &QSpinBox::valueChanged, this, &RecipeEditor::onUserEdit);
    connect(m_group, &QComboBox::currentIndexChanged, this, &RecipeEditor::onUserEdit);
    connect(m_customGroup, &QSpinBox::valueChanged, this, &RecipeEditor::onUserEdit);
    connect(m_symmetric, &QCheckBox::toggled, this, &RecipeEditor::onUserEdit);
    connect(m_rank, &QSpinBox::valueChanged, this, &RecipeEditor::onUserEdit);
    connect(m_protect, &QDoubleSpinBox::valueChanged, this, &RecipeEditor::onUserEdit);

    setRecipe(Recipe{});
    updateSelectionLabel();
}

void RecipeEditor::setRecipe(const salience::Recipe& recipe)
{
    m_updating = true;
    m_base = recipe;
    const QString method = QString::fromStdString(recipe.method);
    int index = m_method->findData(method);
    if (index < 0) { // keep what we were given, so recipe() gives it back
        m_method->addItem(tr("%1 (not registered)").arg(method), method);
        index = m_method->count() - 1;
    }
    m_method->setCurrentIndex(index);
    setGridType(recipe.gridType);
    m_bits->setValue(recipe.bits);
    setGroupSize(recipe.groupSize);
    m_symmetric->setChecked(recipe.symmetric);
    m_rank->setValue(recipe.rank);
    m_protect->setValue(recipe.protectPercent);
    rebuildParams(recipe.params);
    updateFieldStates();
    m_updating = false;
}

salience::Recipe RecipeEditor::recipe() const
{
    Recipe r = m_base;
    r.method = m_method->currentData().toString().toStdString();
    const MethodInfo* method = findMethod(r.method);
    r.gridType = method && method->quantizes && !acceptsGgmlGrid(method)
                     ? std::string()
                     : m_gridType->currentData().toString().toStdString();
    r.bits = m_bits->value();
    r.groupSize = groupSize();
    r.symmetric = m_symmetric->isChecked();
    r.rank = m_rank->value();
    // An unchanged display of the set value gives back the exact value that was set.
    r.protectPercent = m_protect->value() == roundedTo(m_base.protectPercent, m_protect->decimals())
                           ? m_base.protectPercent
                           : m_protect->value();
    r.params.clear();
    const MethodInfo* info = findMethod(r.method);
    if (!info)
        return r;
    for (const ParamSpec& spec : info->params) {
        const QString name = QString::fromStdString(spec.name);
        double value = 0;
        const QAbstractSpinBox* box = m_paramBoxes.value(name);
        if (const QComboBox* choice = m_paramChoices.value(name)) {
            value = choice->currentIndex();
        } else if (!box) {
            continue;
        } else if (const auto* spin = qobject_cast<const QSpinBox*>(box)) {
            value = spin->value();
        } else {
            const auto* dspin = static_cast<const QDoubleSpinBox*>(box);
            value = dspin->value();
            if (auto it = m_base.params.find(spec.name);
                it != m_base.params.end() && roundedTo(it->second, dspin->decimals()) == value)
                value = it->second;
        }
        if (m_base.params.count(spec.name) || value != spec.defaultValue)
            r.params[spec.name] = value;
    }
    return r;
}

void RecipeEditor::setMixed(bool mixed)
{
    m_mixed = mixed;
    updateSelectionLabel();
}

void RecipeEditor::setSelectionCount(int count)
{
    m_selectionCount = std::max(count, 0);
    updateSelectionLabel();
    updateFieldStates();
}

void RecipeEditor::setActivationsAvailable(bool available)
{
    m_activationsAvailable = available;
    updateFieldStates();
}

void RecipeEditor::setEnabledEditing(bool enabled)
{
    m_editingEnabled = enabled;
    updateFieldStates();
}

QString RecipeEditor::selectionText() const
{
    return m_selection->text();
}

QString RecipeEditor::hintText() const
{
    return m_hint->isHidden() ? QString() : m_hint->text();
}

void RecipeEditor::rebuildParams(const std::map<std::string, double>& values)
{
    const QString method = m_method->currentData().toString();
    const MethodInfo* info = findMethod(method.toStdString());
    // Same method: only the values change. The app answers an edit by setting the recipe again,
    // from inside the edited box's own signal, so that box must outlive the call.
    if (method == m_paramsMethod && info) {
        for (const ParamSpec& spec : info->params) {
            const auto it = values.find(spec.name);
            const double value = it != values.end() ? it->second : spec.defaultValue;
            const QString name = QString::fromStdString(spec.name);
            if (QComboBox* combo = m_paramChoices.value(name)) {
                const int index = int(std::lround(value));
                combo->setCurrentIndex(index >= 0 && index < combo->count() ? index : 0);
            } else if (auto* spin = qobject_cast<QSpinBox*>(m_paramBoxes.value(name))) {
                spin->setValue(int(std::lround(value)));
            } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(m_paramBoxes.value(name))) {
                dspin->setValue(value);
            }
        }
        return;
    }
    // Another method: new boxes. The old ones go later, for the same reason.
    while (m_paramForm->rowCount() > 0) {
        const QFormLayout::TakeRowResult row = m_paramForm->takeRow(0);
        for (QLayoutItem* item : {row.labelItem, row.fieldItem}) {
            if (!item)
                continue;
            if (QWidget* widget = item->widget()) {
                widget->hide();
                widget->disconnect(this);
                widget->deleteLater();
            }
            delete item;
        }
    }
    m_paramBoxes.clear();
    m_paramChoices.clear();
    m_paramsMethod = method;
    if (!info || info->params.empty()) {
        auto* none = new QLabel(tr("This method has no parameters of its own."), m_paramGroup);
        none->setForegroundRole(QPalette::PlaceholderText);
        m_paramForm->addRow(none);
        return;
    }
    for (const ParamSpec& spec : info->params) {
        const auto it = values.find(spec.name);
        const double value = it != values.end() ? it->second : spec.defaultValue;
        const QString name = QString::fromStdString(spec.name);
        if (spec.isChoice()) {
            // A choice names what it picks, so it reads as the plan's JSON and the CLI spell it.
            auto* combo = new QComboBox(m_paramGroup);
            for (const std::string& choice : spec.choices)
                combo->addItem(QString::fromStdString(choice));
            const int index = int(std::lround(value));
            combo->setCurrentIndex(index >= 0 && index < combo->count() ? index : 0);
            connect(combo, &QComboBox::currentIndexChanged, this, &RecipeEditor::onUserEdit);
            combo->setObjectName(name);
            combo->setToolTip(tr("%1\nOne of: %2; default %3")
                                  .arg(paramDescription(spec), QString::fromStdString(spec.choiceNames()),
                                       defaultChoice(spec)));
            m_paramForm->addRow(name, combo);
            m_paramChoices.insert(name, combo);
            continue;
        }
        QAbstractSpinBox* box = nullptr;
        if (spec.integer) {
            auto* spin = new QSpinBox(m_paramGroup);
            spin->setRange(int(std::ceil(spec.minValue)), int(std::floor(std::min(spec.maxValue, double(INT_MAX)))));
            spin->setValue(int(std::lround(value)));
            connect(spin, &QSpinBox::valueChanged, this, &RecipeEditor::onUserEdit);
            box = spin;
        } else {
            auto* spin = new QDoubleSpinBox(m_paramGroup);
            spin->setDecimals(decimalsFor(spec));
            spin->setRange(spec.minValue, spec.maxValue);
            spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
            spin->setValue(value);
            connect(spin, &QDoubleSpinBox::valueChanged, this, &RecipeEditor::onUserEdit);
            box = spin;
        }
        box->setObjectName(name);
        box->setToolTip(tr("%1\nRange %2 … %3, default %4")
                            .arg(paramDescription(spec))
                            .arg(spec.minValue)
                            .arg(spec.maxValue)
                            .arg(spec.defaultValue));
        m_paramForm->addRow(name, box);
        m_paramBoxes.insert(name, box);
    }
}

void RecipeEditor::updateFieldStates()
{
    const MethodInfo* info = findMethod(m_method->currentData().toString().toStdString());
    const bool editable = m_editingEnabled && m_selectionCount > 0;
    const bool ggml = acceptsGgmlGrid(info);
    // A block format brings its own bits, groups and symmetry.
    const bool grid = info && info->usesGrid && !(ggml && !m_gridType->currentData().toString().isEmpty());
    const bool custom = m_group->currentData().toInt() == kCustomGroup;

    m_method->setEnabled(editable);
    m_gridType->setEnabled(editable && ggml);
    m_bits->setEnabled(editable && grid);
    m_group->setEnabled(editable && grid);
    m_customGroup->setEnabled(editable && grid && custom);
    m_customGroup->setVisible(custom);
    m_symmetric->setEnabled(editable && grid);
    m_rank->setEnabled(editable && info && info->usesRank);
    m_protect->setEnabled(editable && info && info->usesProtection);
    m_paramGroup->setEnabled(editable);
    // Grey the labels with their fields, so what the method ignores reads as switched off.
    for (QWidget* field : {static_cast<QWidget*>(m_method), static_cast<QWidget*>(m_gridType), static_cast<QWidget*>(m_bits),
                           static_cast<QWidget*>(m_rank), static_cast<QWidget*>(m_protect)})
        if (QWidget* label = m_form->labelForField(field))
            label->setEnabled(field->isEnabled());
    if (QWidget* label = m_form->labelForField(m_groupRow))
        label->setEnabled(m_group->isEnabled());

    m_methodDescription->setText(info ? methodDescription(*info)
                                      : tr("This method is not registered in this version of Salience."));
    if (info && info->needsActivations) {
        m_hint->setText(m_activationsAvailable
                            ? tr("This method uses the layer's activations; the collected ones will be used.")
                            : tr("⚠ This method needs the layer's activations. Collect activations first "
                                 "(or open the demo model, which brings its own)."));
        m_hint->setStyleSheet(m_activationsAvailable ? QString() : QStringLiteral("color: #a04000;"));
        m_hint->show();
    } else {
        m_hint->hide();
    }
}

void RecipeEditor::updateSelectionLabel()
{
    QString text;
    if (m_selectionCount == 0)
        text = tr("No layer selected: select layers in the layer tree to edit their recipe.");
    else if (m_selectionCount == 1)
        text = tr("Recipe of the selected layer");
    else
        text = tr("%n layers selected — editing applies to all", nullptr, m_selectionCount);
    if (m_mixed && m_selectionCount > 1)
        text += QLatin1Char('\n') + tr("Their recipes differ; the first one is shown.");
    m_selection->setText(text);
}

void RecipeEditor::onUserEdit()
{
    if (m_updating)
        return;
    updateFieldStates();
    emit recipeEdited(recipe());
}

void RecipeEditor::setGridType(const std::string& gridType)
{
    const QString name = QString::fromStdString(gridType);
    int index = m_gridType->findData(name);
    if (index < 0) { // keep what we were given, so recipe() gives it back
        m_gridType->addItem(tr("%1 (unknown format)").arg(name), name);
        index = m_gridType->count() - 1;
    }
    m_gridType->setCurrentIndex(index);
}

void RecipeEditor::setGroupSize(int groupSize)
{
    const int index = m_group->findData(groupSize);
    if (index >= 0) {
        m_group->setCurrentIndex(index);
    } else {
        m_group->setCurrentIndex(m_group->findData(kCustomGroup));
        m_customGroup->setValue(groupSize);
    }
}

int RecipeEditor::groupSize() const
{
    const int data = m_group->currentData().toInt();
    return data == kCustomGroup ? m_customGroup->value() : data;
}

} // namespace salience::widgets
