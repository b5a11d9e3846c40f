#pragma once
// The method registry's texts (core has no Qt, so its English strings are data) translated
// for display. Every title, description and parameter description of core's registry is
// listed in MethodText.cpp so lupdate puts it in translations/; a text missing there shows
// in English.
#include "quant/MethodRegistry.h"

#include <QString>

namespace salience::widgets {

QString methodTitle(const MethodInfo& method);
QString methodDescription(const MethodInfo& method);
QString paramDescription(const ParamSpec& param);

} // namespace salience::widgets
