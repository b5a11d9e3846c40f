#pragma once
// The activation scaling S shared by the low-rank methods (QER, SRR, ASVD).
//
// Why. For a weight error E [out, in] the layer's output error over n tokens X [n, in] is
//   ‖E·Xᵀ‖_F² = tr(E·G·Eᵀ),   G = XᵀX.
// Writing G/n = S·Sᵀ turns it into a plain Frobenius norm per token, ‖E·S‖_F², so the rank-r
// approximation of E that is best for the OUTPUT is the truncated SVD of E·S mapped back by S⁻¹
// (Eckart–Young in the scaled space). S is one of
//   None        I: the weight error itself (plain SVD / plain QER)
//   Diagonal    diag(s), s_j = RMS of input channel j = sqrt(mean x_j²): exact when channels are
//               uncorrelated (QER, SRR); ASVD's own variant is s_j = (mean|x_j|)^α
//   Whitening   C, the lower Cholesky factor of G/n + δ·I with δ = 1e-6·mean(diag(G/n)) (raised
//               tenfold until the factorisation succeeds): exact up to δ (SVD-LLM's "whitening";
//               δ keeps a rank-deficient G, fewer tokens than features, factorable)
//
// No S⁻¹ is ever formed. With M·S = U·Σ·Vᵀ and S invertible,
//   SVD_r(M·S)·S⁻¹ = U_r·Σ_r·V_rᵀ·S⁻¹ = U_r·U_rᵀ·M,
// a projection of M onto the top-r left singular subspace of M·S. The factors are therefore
// L = U_r and R = U_rᵀ·M (then balanced), which stays accurate where S is nearly singular, and
// adding a rank never increases the error in ANY norm of the form ‖E·T‖_F (a longer projection).
#include "quant/LayerData.h"
#include "quant/QuantizedLinear.h"
#include "tensor/Tensor.h"

#include <Eigen/Dense>

#include <cstdint>
#include <optional>
#include <string>

namespace salience {

// The order is the index of the "scaling" choice parameter of qer, srr and asvd.
enum class ScalingKind { None = 0, Diagonal = 1, Whitening = 2 };

std::string scalingKindName(ScalingKind kind); // "none", "diag", "whiten"
// The kind of a recipe's "scaling" index (0, 1, 2); InputError(method, ...) otherwise.
ScalingKind scalingKindFromIndex(double index, const std::string& method);

struct ActivationScaling {
    ScalingKind kind = ScalingKind::None;
    int64_t features = 0;
    Eigen::VectorXd diagonal; // Diagonal: s [in], s_j ≥ 0
    MatrixD factor;           // Whitening: lower-triangular C [in, in], C·Cᵀ = G/n + δ·I
    double damping = 0;       // Whitening: δ actually used

    // M·S for M [rows, in].
    MatrixD apply(const MatrixD& M) const;
    // S·Sᵀ restricted to its diagonal: the weight of column j in ‖E·S‖² for an error whose
    // entries are uncorrelated (s_j², (G/n + δ)_jj, or 1).
    Eigen::VectorXd columnWeights() const;
};

ActivationScaling identityScaling(int64_t features);

// s_j = sqrt(mean x_j²), from data.inputs, else the Gram's diagonal, else data.stats
// (sum_sq / count). Throws InputError(method, ...) when the layer has none of them or their
// width is not `features`.
ActivationScaling rmsScaling(const LayerData& data, int64_t features, const std::string& method);

// ASVD: s_j = (mean|x_j|)^α, from data.inputs, else data.stats (abs_sum / count). Statistics
// without abs_sum (an imatrix) or a Gram alone give the RMS instead of mean|x_j|. α = 0 gives
// S = I. Throws InputError(method, ...) like rmsScaling, and for α outside [0, 4].
ActivationScaling absMeanScaling(const LayerData& data, int64_t features, double alpha, const std::string& method);

// G/n, from data.gram (over data.gramTokens tokens), else computed from data.inputs; nullopt
// when the layer has neither. Throws InputError(method, ...) for a wrong width or a Gram with
// no tokens.
std::optional<MatrixD> normalizedGram(const LayerData& data, int64_t features, const std::string& method);

// Whitening from normalizedGram. Throws InputError(method, ...) when the layer has neither
// inputs nor a Gram (statistics cannot whiten: they lack the cross-channel terms) or when the
// activations are all zero.
ActivationScaling whiteningScaling(const LayerData& data, int64_t features, const std::string& method);

// None → identity, Diagonal → rmsScaling, Whitening → whiteningScaling.
ActivationScaling makeScaling(ScalingKind kind, const LayerData& data, int64_t features, const std::string& method);

// A rank-r correction L·R in double, L [out, r], R [r, in].
struct LowRankFactors {
    MatrixD L;
    MatrixD R;

    int64_t rank() const { return L.cols(); }
    MatrixD product() const { return L * R; }
};

// The best rank-r approximation of M [out, in] in the norm ‖·S‖_F: U_r·U_rᵀ·M with U the left
// singular vectors of M·S (see above), r clamped to min(out, in). Each component is balanced
// (L's column and R's row scaled to the same RMS) so that float16 rounding costs both alike.
LowRankFactors scaledLowRank(const MatrixD& M, const ActivationScaling& scaling, int64_t rank);
// The same from already known left singular vectors U [out, ≥ rank] (their first `rank`).
LowRankFactors projectionFactors(const MatrixD& M, const Eigen::MatrixXd& U, int64_t rank);
// [a.L | b.L] and [a.R; b.R].
LowRankFactors concatenate(const LowRankFactors& a, const LowRankFactors& b);

// Stores the factors in q.lowRankL / q.lowRankR as float, rounded to float16 when asked.
void setLowRankFactors(QuantizedLinear& q, const LowRankFactors& factors, bool roundToHalf);
// Throws InputError(method, ...) for an empty or non-finite weight.
void checkLowRankWeight(const Matrix& weight, const std::string& method);

} // namespace salience
