#include "linalg/Svd.h"

#include "base/Error.h"

#include <lapacke.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

namespace salience {
namespace {

lapack_int gesdd(char jobz, lapack_int m, lapack_int n, double* a, double* s, double* u,
                 lapack_int ldu, double* vt, lapack_int ldvt)
{
    return LAPACKE_dgesdd(LAPACK_COL_MAJOR, jobz, m, n, a, m, s, u, ldu, vt, ldvt);
}

lapack_int gesdd(char jobz, lapack_int m, lapack_int n, float* a, float* s, float* u,
                 lapack_int ldu, float* vt, lapack_int ldvt)
{
    return LAPACKE_sgesdd(LAPACK_COL_MAJOR, jobz, m, n, a, m, s, u, ldu, vt, ldvt);
}

std::string shapeText(Eigen::Index m, Eigen::Index n)
{
    return "[" + std::to_string(m) + ", " + std::to_string(n) + "]";
}

// LAPACK here takes 32-bit integers for dimensions and workspace lengths. Refuse what
// would overflow them rather than let LAPACK read past its buffers. The workspace bound
// is the documented gesdd minimum with room for the blocked paths, computed in double so
// that the check cannot overflow itself.
void checkFitsLapack(Eigen::Index m, Eigen::Index n, bool vectors)
{
    const double limit = double(std::numeric_limits<lapack_int>::max());
    const double mn = double(std::min(m, n));
    const double mx = double(std::max(m, n));
    const double workspace = vectors ? 5 * mn * mn + 7 * mn + mx + 64 * (mn + mx)
                                     : 7 * mn + mx + 64 * (mn + mx);
    if (double(m) * double(n) > limit || workspace > limit)
        throw InputError("svd", "a matrix of shape " + shapeText(m, n) +
                                    " is too large for the 32-bit LAPACK this build uses");
}

template <typename Derived>
void checkFinite(const Eigen::MatrixBase<Derived>& W)
{
    if (!W.allFinite())
        throw InputError("svd", "the matrix of shape " + shapeText(W.rows(), W.cols()) +
                                    " contains NaN or Inf values");
}

void throwOnFailure(lapack_int info, Eigen::Index m, Eigen::Index n)
{
    if (info > 0)
        throw Error("svd: LAPACK gesdd did not converge on a matrix of shape " +
                    shapeText(m, n) + " (" + std::to_string(info) +
                    " superdiagonals failed to converge)");
    if (info < 0)
        throw Error("svd: LAPACK gesdd rejected argument " + std::to_string(-info) +
                    " for a matrix of shape " + shapeText(m, n));
}

// `A` is a column-major copy that LAPACK may overwrite.
template <typename Scalar>
SvdResult decompose(Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> A)
{
    using ColMajor = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    const Eigen::Index m = A.rows(), n = A.cols(), k = std::min(m, n);
    SvdResult result;
    if (k == 0) {
        result.U = Eigen::MatrixXd::Zero(m, 0);
        result.S = Eigen::VectorXd::Zero(0);
        result.V = Eigen::MatrixXd::Zero(n, 0);
        return result;
    }
    ColMajor U(m, k), VT(k, n);
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> S(k);
    const lapack_int info = gesdd('S', lapack_int(m), lapack_int(n), A.data(), S.data(),
                                  U.data(), lapack_int(m), VT.data(), lapack_int(k));
    throwOnFailure(info, m, n);
    result.U = U.template cast<double>();
    result.S = S.template cast<double>();
    result.V = VT.transpose().template cast<double>();
    return result;
}

template <typename Scalar>
Eigen::VectorXd values(Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> A)
{
    const Eigen::Index m = A.rows(), n = A.cols(), k = std::min(m, n);
    if (k == 0)
        return Eigen::VectorXd::Zero(0);
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> S(k);
    Scalar unusedU = 0, unusedVT = 0; // jobz='N' never touches the vector arrays
    const lapack_int info = gesdd('N', lapack_int(m), lapack_int(n), A.data(), S.data(),
                                  &unusedU, 1, &unusedVT, 1);
    throwOnFailure(info, m, n);
    return S.template cast<double>();
}

} // namespace

SvdResult thinSvd(const Matrix& W, SvdPrecision precision)
{
    checkFinite(W);
    checkFitsLapack(W.rows(), W.cols(), true);
    if (precision == SvdPrecision::Float)
        return decompose<float>(W); // the assignment converts row-major to column-major
    return decompose<double>(W.cast<double>());
}

SvdResult thinSvd(const MatrixD& W)
{
    checkFinite(W);
    checkFitsLapack(W.rows(), W.cols(), true);
    return decompose<double>(W);
}

Eigen::VectorXd singularValues(const Matrix& W, SvdPrecision precision)
{
    checkFinite(W);
    checkFitsLapack(W.rows(), W.cols(), false);
    if (precision == SvdPrecision::Float)
        return values<float>(W);
    return values<double>(W.cast<double>());
}

Eigen::VectorXd singularValues(const MatrixD& W)
{
    checkFinite(W);
    checkFitsLapack(W.rows(), W.cols(), false);
    return values<double>(W);
}

Eigen::MatrixXd truncatedReconstruction(const SvdResult& svd, Eigen::Index k)
{
    if (k < 0)
        throw InputError("rank", "a truncation rank cannot be negative (got " +
                                     std::to_string(k) + ")");
    if (svd.U.cols() != svd.S.size() || svd.V.cols() != svd.S.size())
        throw Error("truncatedReconstruction: U, S and V disagree on the number of singular "
                    "values (" + std::to_string(svd.U.cols()) + ", " +
                    std::to_string(svd.S.size()) + ", " + std::to_string(svd.V.cols()) + ")");
    const Eigen::Index r = std::min<Eigen::Index>(k, svd.S.size());
    return svd.U.leftCols(r) * svd.S.head(r).asDiagonal() * svd.V.leftCols(r).transpose();
}

} // namespace salience
