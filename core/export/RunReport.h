#pragma once
// The JSON report of a run: one entry per layer and a summary. `quantize --report` writes it,
// exporters put it beside the checkpoint, and the GUI's overview shows the same numbers.
//
//   {"model": PATH, "layers": [{name, block, role, method, bits, group_size, symmetric,
//     rel_weight_error, rel_output_error (when activations were given), sqnr_db,
//     bits_per_weight}], "summary": {layers_quantized, original_bytes, quantized_bytes,
//     average_bits_per_weight, mean_rel_weight_error, mean_rel_output_error}}
#include "model/Model.h"
#include "run/Runner.h"

#include <nlohmann/json.hpp>

namespace salience {

nlohmann::json runReportJson(const Model& model, const RunResult& run);

} // namespace salience
