#pragma once
// Core value types that travel through Qt signals, including queued (cross-thread) ones.
#include "quant/Recipe.h"

#include <QMetaType>

Q_DECLARE_METATYPE(salience::Recipe)
