#pragma once
// Building and combining ChannelStats: from a batch of raw inputs, and across batches, so
// statistics can be gathered one batch at a time without keeping the inputs.
#include "tensor/ChannelStats.h"
#include "tensor/Tensor.h"

namespace salience {

// Statistics of X [tokens, in_features] in double precision: sum of squares, abs-max and
// abs-sum per column, count = rows.
ChannelStats channelStatsOf(const Matrix& X);

// Statistics of the union of the tokens behind a and b. Sums and counts add, abs-max takes the
// larger. An empty side (no channels, count 0) returns the other. abs_max or abs_sum is kept
// only when both sides have it. Throws std::invalid_argument when the channel counts differ.
ChannelStats mergeChannelStats(const ChannelStats& a, const ChannelStats& b);

} // namespace salience
