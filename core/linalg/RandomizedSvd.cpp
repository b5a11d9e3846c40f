#include "linalg/RandomizedSvd.h"

#include "base/Error.h"
#include "linalg/Svd.h"
#include "tensor/Random.h"

#include <Eigen/QR>

#include <algorithm>
#include <cmath>

namespace salience {

namespace {

// An orthonormal basis of the columns of Y (thin Householder QR; Y has full column rank with
// probability one for a Gaussian start, and a rank-deficient W only adds columns of round-off).
Matrix orthonormalBasis(const Matrix& y)
{
    Eigen::HouseholderQR<Eigen::MatrixXf> qr(y);
    return qr.householderQ() * Eigen::MatrixXf::Identity(y.rows(), y.cols());
}

} // namespace

TopSingularValues topSingularValues(const Matrix& W, int64_t k, int powerIterations, int64_t oversampling,
                                    uint64_t seed)
{
    if (k < 1)
        throw InputError("randomized SVD", "needs k >= 1 (got " + std::to_string(k) + ")");
    if (powerIterations < 0 || oversampling < 0)
        throw InputError("randomized SVD", "power iterations and oversampling must be >= 0");
    if (!W.allFinite())
        throw InputError("randomized SVD", "the matrix holds NaN or Inf");
    TopSingularValues out;
    out.powerIterations = powerIterations;
    out.totalEnergy = W.cast<double>().squaredNorm();
    const int64_t smaller = std::min<int64_t>(W.rows(), W.cols());
    k = std::min(k, smaller);
    if (k == 0)
        return out;
    const int64_t width = std::min(k + oversampling, smaller);

    Rng rng(seed);
    Matrix omega(W.cols(), width);
    for (Eigen::Index j = 0; j < omega.cols(); ++j)
        for (Eigen::Index i = 0; i < omega.rows(); ++i)
            omega(i, j) = float(rng.normal());
    Matrix q = orthonormalBasis(W * omega);
    for (int it = 0; it < powerIterations; ++it) {
        const Matrix z = orthonormalBasis(W.transpose() * q);
        q = orthonormalBasis(W * z);
    }
    const Matrix b = q.transpose() * W; // [width, n]: W's action on the captured subspace
    const Eigen::VectorXd s = singularValues(b, SvdPrecision::Double);
    const double captured = b.cast<double>().squaredNorm();
    out.missedEnergy = std::max(0.0, out.totalEnergy - captured);
    out.values.assign(s.data(), s.data() + k);
    return out;
}

} // namespace salience
