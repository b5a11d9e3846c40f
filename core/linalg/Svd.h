#pragma once
// Thin singular value decomposition through LAPACK's divide-and-conquer driver (gesdd).
// Everything low-rank in Salience (QER, SRR, ASVD, SVD saliency, spectra) builds on this.
#include "tensor/Tensor.h"

#include <Eigen/Dense>

namespace salience {

// W = U · diag(S) · Vᵀ with W of shape [m, n], k = min(m, n):
// U is [m, k], S holds k values in descending order, V is [n, k]; U and V have
// orthonormal columns.
struct SvdResult {
    Eigen::MatrixXd U;
    Eigen::VectorXd S;
    Eigen::MatrixXd V;
};

// Which arithmetic LAPACK works in. Double is the default: float loses about half the
// digits of the small singular values, which truncation and saliency depend on.
enum class SvdPrecision { Double, Float };

// Thin SVD of a float matrix. An empty matrix gives empty factors ([m,0], [0], [n,0]).
// Throws InputError when W holds NaN or Inf, or is too large for 32-bit LAPACK
// indices, and Error when LAPACK fails to converge.
SvdResult thinSvd(const Matrix& W, SvdPrecision precision = SvdPrecision::Double);
SvdResult thinSvd(const MatrixD& W);

// Singular values only, descending. Much cheaper than thinSvd (no singular vectors).
Eigen::VectorXd singularValues(const Matrix& W, SvdPrecision precision = SvdPrecision::Double);
Eigen::VectorXd singularValues(const MatrixD& W);

// U_k · diag(S_k) · V_kᵀ, the best rank-k approximation (Eckart–Young), [m, n].
// k larger than the number of singular values gives the full product; k < 0 throws.
Eigen::MatrixXd truncatedReconstruction(const SvdResult& svd, Eigen::Index k);

} // namespace salience
