#include "io/AtomicFile.h"

#include "base/Error.h"

#include <atomic>
#include <cstdlib>
#include <csignal>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace salience {

namespace {

std::string errnoText(int err) { return std::strerror(err); }

bool pathExists(const std::string& path)
{
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

// A name no other writer in this or another process is likely to pick; O_EXCL makes sure.
std::string candidateName(const std::filesystem::path& target)
{
    static std::atomic<uint64_t> counter{0};
    thread_local std::mt19937_64 rng{std::random_device{}() ^
                                     uint64_t(std::chrono::steady_clock::now().time_since_epoch().count())};
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".tmp-%d-%llu-%08llx", int(::getpid()),
                  static_cast<unsigned long long>(counter.fetch_add(1)),
                  static_cast<unsigned long long>(rng() & 0xffffffffu));
    // Built by appending: GCC 12 warns falsely (-Wstringop-overflow) on "." + std::string&&.
    std::string name = ".";
    name += target.filename().string();
    name += suffix;
    return (target.parent_path() / name).string();
}

// Temporary files of this target left by a writer that was killed (SIGKILL, a power cut): the
// name carries the writer's process id, and a process that no longer exists will not finish
// them. Those of live processes (another export running now) are left alone.
void removeStaleTemporaries(const std::filesystem::path& target)
{
    const std::string prefix = "." + target.filename().string() + ".tmp-";
    const std::filesystem::path dir = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(prefix))
            continue;
        char* rest = nullptr;
        const long pid = std::strtol(name.c_str() + prefix.size(), &rest, 10);
        if (pid <= 0 || rest == name.c_str() + prefix.size() || *rest != '-')
            continue;
        if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            ::unlink(it->path().c_str()); // best effort: a file we cannot remove does no harm
    }
}

void syncDirectory(const std::filesystem::path& dir)
{
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd); // best effort: the rename is already visible either way
        ::close(fd);
    }
}

} // namespace

AtomicFile::AtomicFile(const std::string& path, bool overwrite)
    : m_path(path), m_overwrite(overwrite)
{
    const std::filesystem::path target(path);
    if (target.filename().empty())
        throw InputError(path, "not a file name");
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw InputError(path, "is a directory");
    if (!overwrite && pathExists(path))
        throw InputError(path, "already exists");
    removeStaleTemporaries(target);

    for (int attempt = 0; attempt < 100 && m_fd < 0; ++attempt) {
        const std::string candidate = candidateName(target);
        // 0666 so the final file gets the permissions the umask gives any new file.
        m_fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (m_fd >= 0) {
            m_tempPath = candidate;
        } else if (errno != EEXIST) {
            const std::string dir = target.parent_path().empty() ? std::string(".")
                                                                 : target.parent_path().string();
            throw InputError(path, "cannot create a temporary file in " + dir + ": " +
                                       errnoText(errno));
        }
    }
    if (m_fd < 0)
        throw InputError(path, "cannot find a free temporary file name");
    m_out.open(m_tempPath, std::ios::binary | std::ios::trunc);
    if (!m_out) {
        discard();
        throw InputError(path, "cannot open the temporary file " + m_tempPath);
    }
}

AtomicFile::~AtomicFile()
{
    if (!m_committed)
        discard();
}

void AtomicFile::discard() noexcept
{
    if (m_out.is_open())
        m_out.close();
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (!m_tempPath.empty()) {
        ::unlink(m_tempPath.c_str());
        m_tempPath.clear();
    }
}

void AtomicFile::commit()
{
    if (m_committed)
        return;
    if (m_fd < 0)
        throw Error("AtomicFile::commit on a discarded file: " + m_path);
    m_out.flush();
    const bool written = bool(m_out);
    m_out.close();
    if (!written || m_out.fail()) {
        discard();
        throw InputError(m_path, "writing failed (disk full or I/O error?)");
    }
    if (::fsync(m_fd) != 0) {
        const int err = errno;
        discard();
        throw InputError(m_path, "fsync failed: " + errnoText(err));
    }
    ::close(m_fd);
    m_fd = -1;

    int rc = 0;
    if (m_overwrite) {
        rc = ::rename(m_tempPath.c_str(), m_path.c_str());
    } else {
        // Refuse to replace a file that appeared since the constructor checked.
        rc = ::renameat2(AT_FDCWD, m_tempPath.c_str(), AT_FDCWD, m_path.c_str(),
                         RENAME_NOREPLACE);
        if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
            // The filesystem cannot do it atomically; check, then rename.
            if (pathExists(m_path)) {
                errno = EEXIST;
                rc = -1;
            } else {
                rc = ::rename(m_tempPath.c_str(), m_path.c_str());
            }
        }
    }
    if (rc != 0) {
        const int err = errno;
        discard();
        if (err == EEXIST)
            throw InputError(m_path, "already exists");
        throw InputError(m_path, "cannot rename the temporary file into place: " + errnoText(err));
    }
    m_committed = true;
    m_tempPath.clear();
    syncDirectory(std::filesystem::path(m_path).parent_path());
}

} // namespace salience
