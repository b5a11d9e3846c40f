#pragma once
// A fixture for the layering check: base may include nothing above it, so this must fail it.
#include "io/Reader.h"
#include <QString>
