#pragma once
// A fixture for the layering check: io standing on base is allowed.
#include "base/Upward.h"
