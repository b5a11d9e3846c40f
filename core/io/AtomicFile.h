#pragma once
// Writes a file so that readers see either the old file or the complete new one, never a
// partial one: the bytes go to a uniquely named temporary file in the target's directory,
// which commit() fsyncs and renames into place. Without commit() (an exception, a cancel)
// the destructor removes the temporary file, so a failed export leaves nothing. A writer that
// was killed cannot clean up: its temporary file (".NAME.tmp-PID-...") is removed by the next
// AtomicFile for the same target once process PID no longer exists.
//
//     AtomicFile f(path, overwrite);
//     f.stream() << ...;
//     f.commit();
#include <fstream>
#include <string>

namespace salience {

class AtomicFile {
public:
    // Throws InputError naming `path` when the target exists and `overwrite` is false, or the
    // temporary file cannot be created.
    explicit AtomicFile(const std::string& path, bool overwrite = false);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    std::ostream& stream() { return m_out; }

    // Flushes, fsyncs and renames into place. Throws InputError naming the target when a
    // write failed or the target appeared meanwhile (overwrite false); the temporary file is
    // removed then too.
    void commit();

    const std::string& path() const { return m_path; }
    const std::string& tempPath() const { return m_tempPath; }
    bool committed() const { return m_committed; }

private:
    void discard() noexcept;

    std::string m_path;
    std::string m_tempPath;
    bool m_overwrite = false;
    bool m_committed = false;
    int m_fd = -1; // kept open for fsync
    std::ofstream m_out;
};

} // namespace salience
