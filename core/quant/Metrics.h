#pragma once
// How far a quantized layer is from the original, all accumulated in double.
//   relative weight error  ‖W − Ŵ‖_F / ‖W‖_F
//   relative output error  ‖(W − Ŵ)·Xᵀ‖_F / ‖W·Xᵀ‖_F        X = layer inputs [tokens, in]
//                          or, from the Gram G = XᵀX alone, sqrt(tr(E·G·Eᵀ) / tr(W·G·Wᵀ))
//   SQNR                   10·log10(‖W‖² / ‖W − Ŵ‖²) dB
// Zero denominators: a ratio 0/0 is 0 (nothing to lose, nothing lost), x/0 with x > 0 is
// +infinity. SQNR with no error is +infinity; with W = 0 and some error, −infinity.
// Shape mismatches throw InputError("metrics", ...).
#include "quant/QuantizedLinear.h"
#include "tensor/Tensor.h"

#include <optional>

namespace salience {

double relativeWeightError(const Matrix& weight, const Matrix& approx);
double relativeOutputError(const Matrix& weight, const Matrix& approx, const Matrix& inputs);
double relativeOutputErrorFromGram(const Matrix& weight, const Matrix& approx, const MatrixD& gram);
double sqnrDb(const Matrix& weight, const Matrix& approx);

struct LayerMetrics {
    double relativeWeightError = 0;
    std::optional<double> relativeOutputError; // when inputs or a Gram were given
    double sqnrDb = 0;
    double bitsPerWeight = 0;
};

// Everything at once for one layer: Ŵ = quantized.dequantize(). The output error uses
// `inputs` when given, else `gram` when given.
LayerMetrics measureLayer(const Matrix& weight, const QuantizedLinear& quantized,
                          const Matrix* inputs = nullptr, const MatrixD* gram = nullptr);

} // namespace salience
