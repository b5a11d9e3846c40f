#pragma once
// Small RAII wrappers around the HDF5 C API: files, groups, datasets and attributes, with the
// few typed reads and writes the activation store and the exporters need. Every failure
// throws InputError naming the file and the object path, never HDF5's own printed stack.
//
// HDF5 keeps global state and Debian's 1.10 build is not safe to call from two threads at
// once, so every call made through these wrappers holds one library-wide recursive lock.
#include <hdf5.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace salience::hdf5 {

// The lock every wrapper holds while it calls into HDF5. Callers that make raw H5* calls of
// their own should hold it too.
std::recursive_mutex& libraryMutex();

// Holds the library lock and turns off HDF5's automatic error printing for this thread (the
// setting is per thread in a thread-safe build).
class LibraryLock {
public:
    LibraryLock();

private:
    std::lock_guard<std::recursive_mutex> m_lock;
};

// One owned hid_t, closed with the matching H5*close when the handle dies.
class Handle {
public:
    using Closer = herr_t (*)(hid_t);
    Handle() = default;
    Handle(hid_t id, Closer closer) : m_id(id), m_closer(closer) {}
    ~Handle() { reset(); }
    Handle(Handle&& other) noexcept;
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    hid_t id() const { return m_id; }
    bool valid() const { return m_id >= 0; }
    // Closes now; returns false when HDF5 reported an error while closing.
    bool reset();

private:
    hid_t m_id = -1;
    Closer m_closer = nullptr;
};

// Element types a dataset can be created with. Float16 is IEEE binary16 (HDF5 has no
// predefined half type; this is a custom float type that h5py and HDF5 itself read as half).
enum class ElementType { Float16, Float32, Float64, Int32, Int64 };

// What a stored dataset or attribute holds, for validation and messages.
enum class TypeClass { Integer, Float, String, Other };

struct TypeDescription {
    TypeClass typeClass = TypeClass::Other;
    size_t size = 0;         // bytes per element
    bool isHalf = false;     // IEEE binary16, little endian
    std::string name;        // "float32", "float16", "int64", "string", "compound"...
};

// The HDF5 datatype of an element type (a new handle the caller owns).
Handle makeType(ElementType type);

// Storage layout of a new dataset. Chunked with deflate when compressionLevel > 0; the
// shuffle filter regroups bytes of equal significance first, which helps floats compress.
struct DatasetLayout {
    int64_t chunkRows = 256;      // rows per chunk; 0 = contiguous storage
    int64_t maxChunkBytes = 1 << 20; // chunk rows shrink to keep a chunk within this
    int compressionLevel = 0;     // 0..9; 0 = no compression
    bool shuffle = true;
};

// True when a name can be one link of an HDF5 path: not empty, no '/', not "." or "..".
bool isValidLinkName(const std::string& name);

// Something with a path in a file and attributes: a group or a dataset.
class Object {
public:
    const std::string& filePath() const { return m_file; }
    const std::string& path() const { return m_path; } // "/inputs/model.layers.0.q_proj"
    hid_t id() const { return m_handle.id(); }

    bool hasAttribute(const std::string& name) const;
    std::vector<std::string> attributeNames() const;
    TypeDescription attributeType(const std::string& name) const;
    // Variable- or fixed-length strings, ASCII or UTF-8.
    std::string readStringAttribute(const std::string& name) const;
    int64_t readIntAttribute(const std::string& name) const;
    double readDoubleAttribute(const std::string& name) const;
    // Replaces an existing attribute of the same name. Strings are variable-length UTF-8.
    void writeStringAttribute(const std::string& name, const std::string& value);
    void writeIntAttribute(const std::string& name, int64_t value);
    void writeDoubleAttribute(const std::string& name, double value);

    // Throws InputError(filePath, "<path>: <problem>").
    [[noreturn]] void fail(const std::string& problem) const;

protected:
    Object(Handle handle, std::string file, std::string path)
        : m_handle(std::move(handle)), m_file(std::move(file)), m_path(std::move(path)) {}
    std::string childPath(const std::string& name) const;
    std::string attributePath(const std::string& name) const;
    Handle openAttribute(const std::string& name) const;
    Handle createScalarAttribute(const std::string& name, hid_t type);

    Handle m_handle;
    std::string m_file;
    std::string m_path;
};

class Dataset : public Object {
public:
    std::vector<int64_t> shape() const;
    int64_t numel() const; // product of the shape, overflow-checked
    TypeDescription type() const;

    // The whole dataset converted to the asked type. Floats read as float or double (half
    // decoded exactly), integers as int32 or int64 (values out of range are an error).
    // Fails on a type class that does not convert (a string where numbers are expected).
    std::vector<float> readFloats() const;
    std::vector<double> readDoubles() const;
    std::vector<int32_t> readInt32s() const;
    std::vector<int64_t> readInt64s() const;
    // Rows [row0, row0 + rows) of a 2-D float dataset into out (rows * cols floats).
    void readFloatRows(int64_t row0, int64_t rows, float* out) const;

    // Whole-dataset writes; `count` must equal numel(). The dataset's own element type
    // decides what is stored (floats written to a Float16 dataset are rounded to nearest
    // even, exactly as core/tensor/Half.h does).
    void write(const float* data, int64_t count);
    void write(const double* data, int64_t count);
    void write(const int32_t* data, int64_t count);
    void write(const int64_t* data, int64_t count);
    // Rows [row0, row0 + rows) of a 2-D dataset from row-major floats.
    void writeFloatRows(int64_t row0, int64_t rows, const float* data);

private:
    friend class Group;
    using Object::Object;
    void readAll(hid_t memType, void* out) const;
    void writeAll(hid_t memType, const void* data, int64_t count);
    Handle selectRows(int64_t row0, int64_t rows, int64_t cols, Handle& memSpace) const;
};

enum class LinkKind { Group, Dataset, Other };

struct Link {
    std::string name;
    LinkKind kind = LinkKind::Other;
};

class Group : public Object {
public:
    // Children in ascending name order. Other: external or dangling links, named datatypes.
    std::vector<Link> links() const;
    bool hasLink(const std::string& name) const;
    LinkKind linkKind(const std::string& name) const; // Other when absent

    Group openGroup(const std::string& name) const;
    Dataset openDataset(const std::string& name) const;
    Group createGroup(const std::string& name);
    // A new dataset of the given shape; rank-2 datasets are chunked by rows per `layout`.
    Dataset createDataset(const std::string& name, ElementType type,
                          const std::vector<int64_t>& shape, const DatasetLayout& layout = {});

    // Convenience: a 1-D dataset holding `values`.
    Dataset writeVector(const std::string& name, const std::vector<double>& values);
    Dataset writeVector(const std::string& name, const std::vector<int32_t>& values);
    Dataset writeVector(const std::string& name, const std::vector<int64_t>& values);

private:
    friend class File;
    using Object::Object;
};

class File {
public:
    // Throws InputError(path, "not an HDF5 file") when the file is something else.
    static File openReadOnly(const std::string& path);
    // Creates the file, failing when it exists (exclusive) or truncating it.
    static File create(const std::string& path, bool exclusive = false);

    const std::string& path() const { return m_path; }
    Group root() const;
    // Closes now and reports a failure to flush (a full disk) as an error.
    void close();

private:
    File(Handle handle, std::string path) : m_handle(std::move(handle)), m_path(std::move(path)) {}
    Handle m_handle;
    std::string m_path;
};

} // namespace salience::hdf5
