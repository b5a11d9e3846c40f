#include "MethodText.h"

#include <QCoreApplication>

namespace salience::widgets {

namespace {
constexpr const char* kContext = "MethodRegistry";

// Not called: it only shows lupdate the registry's strings (core/quant/MethodRegistry.cpp).
[[maybe_unused]] const char* const kRegistryTexts[] = {
    QT_TRANSLATE_NOOP("MethodRegistry", "Full precision"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Keeps the layer's weights as they are. Use it for layers too sensitive to quantize."),
    QT_TRANSLATE_NOOP("MethodRegistry", "Round to nearest"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Rounds every weight to the nearest point of a uniform grid: one scale (and zero point when "
                      "asymmetric) per group of consecutive input columns, stored as float16. The baseline every "
                      "other method is measured against."),
};

QString translated(const std::string& text)
{
    return QCoreApplication::translate(kContext, text.c_str());
}
} // namespace

QString methodTitle(const MethodInfo& method) { return translated(method.title); }

QString methodDescription(const MethodInfo& method) { return translated(method.description); }

QString paramDescription(const ParamSpec& param) { return translated(param.description); }

} // namespace salience::widgets
