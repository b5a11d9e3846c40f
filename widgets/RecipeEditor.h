#pragma once
// Edits one Recipe: method, grid, budgets and the method's own parameters, generated from the
// method registry. Fields the chosen method does not use are greyed out. The editor shows and
// reports; the app decides which layers a change applies to.
#include "MetaTypes.h"
#include "quant/Recipe.h"

#include <QMap>
#include <QWidget>

class QAbstractSpinBox;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLayout;
class QSpinBox;

namespace salience::widgets {

class RecipeEditor : public QWidget {
    Q_OBJECT
public:
    explicit RecipeEditor(QWidget* parent = nullptr);

    // Shows `recipe` without emitting recipeEdited.
    void setRecipe(const salience::Recipe& recipe);
    // The recipe as shown. Fields a method ignores keep their values, the seed is the one last
    // set, and params holds the method's parameters that were set or moved off their default.
    // gridType is kept only where Recipe::validate accepts it: with a method that quantizes onto
    // ggml block formats (rtn), or one that quantizes nothing (none); another method clears it.
    salience::Recipe recipe() const;

    // The selected layers have different recipes: the editor shows one of them.
    void setMixed(bool mixed);
    // How many layers an edit applies to; 0 disables editing.
    void setSelectionCount(int count);
    void setActivationsAvailable(bool available);
    void setEnabledEditing(bool enabled);

    // The widgets, for tests and the app's shortcuts.
    QComboBox* methodBox() const { return m_method; }
    // Item data: "" for the uniform grid, else a ggml block format name ("Q4_K").
    QComboBox* gridTypeBox() const { return m_gridType; }
    QSpinBox* bitsBox() const { return m_bits; }
    QComboBox* groupBox() const { return m_group; }
    QSpinBox* customGroupBox() const { return m_customGroup; }
    QCheckBox* symmetricBox() const { return m_symmetric; }
    QSpinBox* rankBox() const { return m_rank; }
    QDoubleSpinBox* protectBox() const { return m_protect; }
    // nullptr when the current method has no numeric parameter of that name.
    QAbstractSpinBox* paramBox(const QString& name) const { return m_paramBoxes.value(name); }
    // nullptr when the current method has no choice parameter of that name. Item i is choice i.
    QComboBox* paramChoiceBox(const QString& name) const { return m_paramChoices.value(name); }
    QString selectionText() const;
    QString hintText() const;

signals:
    void recipeEdited(const salience::Recipe& recipe);

private:
    void rebuildParams(const std::map<std::string, double>& values);
    void updateFieldStates();
    void updateSelectionLabel();
    void onUserEdit();
    void setGridType(const std::string& gridType);
    void setGroupSize(int groupSize);
    int groupSize() const;

    QFormLayout* m_form = nullptr;
    QLayout* m_groupRow = nullptr;
    QLabel* m_selection = nullptr;
    QComboBox* m_method = nullptr;
    QLabel* m_methodDescription = nullptr;
    QComboBox* m_gridType = nullptr;
    QSpinBox* m_bits = nullptr;
    QComboBox* m_group = nullptr;
    QSpinBox* m_customGroup = nullptr;
    QCheckBox* m_symmetric = nullptr;
    QSpinBox* m_rank = nullptr;
    QDoubleSpinBox* m_protect = nullptr;
    QGroupBox* m_paramGroup = nullptr;
    QFormLayout* m_paramForm = nullptr;
    QMap<QString, QAbstractSpinBox*> m_paramBoxes;
    QMap<QString, QComboBox*> m_paramChoices;
    QString m_paramsMethod; // the method the parameter boxes were built for
    QLabel* m_hint = nullptr;

    salience::Recipe m_base; // the recipe last set: its seed and explicit params
    bool m_updating = false;
    bool m_mixed = false;
    int m_selectionCount = 1;
    bool m_activationsAvailable = false;
    bool m_editingEnabled = true;
};

} // namespace salience::widgets
