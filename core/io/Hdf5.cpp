#include "io/Hdf5.h"

#include "base/Error.h"
#include "tensor/Half.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <new>
#include <stdexcept>

namespace salience::hdf5 {

namespace {

int64_t checkedProduct(const std::vector<int64_t>& dims, bool& overflow)
{
    int64_t n = 1;
    overflow = false;
    for (int64_t d : dims)
        if (d < 0 || __builtin_mul_overflow(n, d, &n)) {
            overflow = true;
            return 0;
        }
    return n;
}

std::string typeClassName(H5T_class_t c)
{
    switch (c) {
    case H5T_TIME: return "time";
    case H5T_BITFIELD: return "bitfield";
    case H5T_OPAQUE: return "opaque";
    case H5T_COMPOUND: return "compound";
    case H5T_REFERENCE: return "reference";
    case H5T_ENUM: return "enum";
    case H5T_VLEN: return "variable-length sequence";
    case H5T_ARRAY: return "array";
    default: return "unknown type";
    }
}

TypeDescription describe(hid_t type)
{
    TypeDescription d;
    const H5T_class_t c = H5Tget_class(type);
    d.size = H5Tget_size(type);
    const std::string bits = std::to_string(d.size * 8);
    if (c == H5T_INTEGER) {
        d.typeClass = TypeClass::Integer;
        d.name = (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + bits;
    } else if (c == H5T_FLOAT) {
        d.typeClass = TypeClass::Float;
        size_t spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0;
        H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize);
        d.isHalf = d.size == 2 && H5Tget_order(type) == H5T_ORDER_LE && spos == 15 && epos == 10 &&
                   esize == 5 && mpos == 0 && msize == 10 && H5Tget_ebias(type) == 15;
        d.name = d.size == 2 && !d.isHalf ? "float16 (non-IEEE layout)" : "float" + bits;
    } else if (c == H5T_STRING) {
        d.typeClass = TypeClass::String;
        d.name = "string";
    } else {
        d.name = typeClassName(c);
    }
    return d;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Lock and handles

std::recursive_mutex& libraryMutex()
{
    static std::recursive_mutex mutex;
    return mutex;
}

LibraryLock::LibraryLock() : m_lock(libraryMutex())
{
    thread_local bool silenced = false;
    if (!silenced) {
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        silenced = true;
    }
}

Handle::Handle(Handle&& other) noexcept : m_id(other.m_id), m_closer(other.m_closer)
{
    other.m_id = -1;
}

Handle& Handle::operator=(Handle&& other) noexcept
{
    if (this != &other) {
        reset();
        m_id = other.m_id;
        m_closer = other.m_closer;
        other.m_id = -1;
    }
    return *this;
}

bool Handle::reset()
{
    bool ok = true;
    if (m_id >= 0 && m_closer) {
        LibraryLock lock;
        ok = m_closer(m_id) >= 0;
    }
    m_id = -1;
    return ok;
}

Handle makeType(ElementType type)
{
    LibraryLock lock;
    switch (type) {
    case ElementType::Float16: {
        // IEEE binary16: sign bit 15, exponent bits 10-14 (bias 15), mantissa bits 0-9.
        Handle t(H5Tcopy(H5T_IEEE_F32LE), H5Tclose);
        if (!t.valid() || H5Tset_fields(t.id(), 15, 10, 5, 0, 10) < 0 ||
            H5Tset_precision(t.id(), 16) < 0 || H5Tset_size(t.id(), 2) < 0 ||
            H5Tset_ebias(t.id(), 15) < 0)
            throw Error("HDF5: cannot build the float16 datatype");
        return t;
    }
    case ElementType::Float32: return Handle(H5Tcopy(H5T_IEEE_F32LE), H5Tclose);
    case ElementType::Float64: return Handle(H5Tcopy(H5T_IEEE_F64LE), H5Tclose);
    case ElementType::Int32: return Handle(H5Tcopy(H5T_STD_I32LE), H5Tclose);
    case ElementType::Int64: return Handle(H5Tcopy(H5T_STD_I64LE), H5Tclose);
    }
    throw std::invalid_argument("hdf5::makeType: unknown element type");
}

bool isValidLinkName(const std::string& name)
{
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
           name.find('\0') == std::string::npos;
}

// ---------------------------------------------------------------------------------------------
// Object: attributes

void Object::fail(const std::string& problem) const { throw InputError(m_file, m_path + ": " + problem); }

std::string Object::childPath(const std::string& name) const
{
    return m_path == "/" ? "/" + name : m_path + "/" + name;
}

std::string Object::attributePath(const std::string& name) const { return "attribute '" + name + "'"; }

bool Object::hasAttribute(const std::string& name) const
{
    LibraryLock lock;
    return H5Aexists(id(), name.c_str()) > 0;
}

std::vector<std::string> Object::attributeNames() const
{
    LibraryLock lock;
    std::vector<std::string> names;
    auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    hsize_t index = 0;
    if (H5Aiterate2(id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect, &names) < 0)
        fail("cannot list its attributes");
    return names;
}

Handle Object::openAttribute(const std::string& name) const
{
    LibraryLock lock;
    if (H5Aexists(id(), name.c_str()) <= 0)
        fail("has no " + attributePath(name));
    Handle attribute(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!attribute.valid())
        fail("cannot open " + attributePath(name));
    Handle space(H5Aget_space(attribute.id()), H5Sclose);
    if (!space.valid() || H5Sget_simple_extent_npoints(space.id()) != 1)
        fail(attributePath(name) + " must hold exactly one value");
    return attribute;
}

TypeDescription Object::attributeType(const std::string& name) const
{
    LibraryLock lock;
    Handle attribute = openAttribute(name);
    Handle type(H5Aget_type(attribute.id()), H5Tclose);
    if (!type.valid())
        fail("cannot read the type of " + attributePath(name));
    return describe(type.id());
}

std::string Object::readStringAttribute(const std::string& name) const
{
    LibraryLock lock;
    Handle attribute = openAttribute(name);
    Handle type(H5Aget_type(attribute.id()), H5Tclose);
    if (!type.valid())
        fail("cannot read the type of " + attributePath(name));
    const TypeDescription d = describe(type.id());
    if (d.typeClass != TypeClass::String)
        fail(attributePath(name) + " is " + d.name + ", expected a string");

    if (H5Tis_variable_str(type.id()) > 0) {
        Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(memType.id(), H5T_VARIABLE);
        H5Tset_cset(memType.id(), H5Tget_cset(type.id()));
        char* text = nullptr;
        if (H5Aread(attribute.id(), memType.id(), &text) < 0)
            fail("cannot read " + attributePath(name));
        std::string value = text ? std::string(text) : std::string();
        if (text)
            H5free_memory(text);
        return value;
    }
    // Fixed length: read the bytes as stored, then cut at the terminator or the padding.
    std::string buffer(d.size, '\0');
    if (d.size > 0 && H5Aread(attribute.id(), type.id(), buffer.data()) < 0)
        fail("cannot read " + attributePath(name));
    const size_t nul = buffer.find('\0');
    if (nul != std::string::npos)
        buffer.resize(nul);
    if (H5Tget_strpad(type.id()) == H5T_STR_SPACEPAD)
        buffer.erase(buffer.find_last_not_of(' ') + 1);
    return buffer;
}

int64_t Object::readIntAttribute(const std::string& name) const
{
    LibraryLock lock;
    Handle attribute = openAttribute(name);
    const TypeDescription d = attributeType(name);
    if (d.typeClass != TypeClass::Integer)
        fail(attributePath(name) + " is " + d.name + ", expected an integer");
    int64_t value = 0;
    if (H5Aread(attribute.id(), H5T_NATIVE_INT64, &value) < 0)
        fail("cannot read " + attributePath(name) + " as a 64-bit integer");
    return value;
}

double Object::readDoubleAttribute(const std::string& name) const
{
    LibraryLock lock;
    Handle attribute = openAttribute(name);
    const TypeDescription d = attributeType(name);
    if (d.typeClass != TypeClass::Integer && d.typeClass != TypeClass::Float)
        fail(attributePath(name) + " is " + d.name + ", expected a number");
    double value = 0;
    if (H5Aread(attribute.id(), H5T_NATIVE_DOUBLE, &value) < 0)
        fail("cannot read " + attributePath(name) + " as a number");
    return value;
}

Handle Object::createScalarAttribute(const std::string& name, hid_t type)
{
    LibraryLock lock;
    if (name.empty())
        throw std::invalid_argument("hdf5: an attribute needs a name");
    if (H5Aexists(id(), name.c_str()) > 0 && H5Adelete(id(), name.c_str()) < 0)
        fail("cannot replace " + attributePath(name));
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attribute(H5Acreate2(id(), name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                     H5Aclose);
    if (!attribute.valid())
        fail("cannot create " + attributePath(name));
    return attribute;
}

void Object::writeStringAttribute(const std::string& name, const std::string& value)
{
    LibraryLock lock;
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.id(), H5T_VARIABLE);
    H5Tset_cset(type.id(), H5T_CSET_UTF8);
    Handle attribute = createScalarAttribute(name, type.id());
    const char* text = value.c_str();
    if (H5Awrite(attribute.id(), type.id(), &text) < 0)
        fail("cannot write " + attributePath(name));
}

void Object::writeIntAttribute(const std::string& name, int64_t value)
{
    LibraryLock lock;
    Handle attribute = createScalarAttribute(name, H5T_STD_I64LE);
    if (H5Awrite(attribute.id(), H5T_NATIVE_INT64, &value) < 0)
        fail("cannot write " + attributePath(name));
}

void Object::writeDoubleAttribute(const std::string& name, double value)
{
    LibraryLock lock;
    Handle attribute = createScalarAttribute(name, H5T_IEEE_F64LE);
    if (H5Awrite(attribute.id(), H5T_NATIVE_DOUBLE, &value) < 0)
        fail("cannot write " + attributePath(name));
}

// ---------------------------------------------------------------------------------------------
// Dataset

std::vector<int64_t> Dataset::shape() const
{
    LibraryLock lock;
    Handle space(H5Dget_space(id()), H5Sclose);
    if (!space.valid())
        fail("cannot read its shape");
    if (H5Sget_simple_extent_type(space.id()) == H5S_NULL)
        fail("has an empty (null) dataspace");
    const int rank = H5Sget_simple_extent_ndims(space.id());
    if (rank < 0 || rank > 32)
        fail("cannot read its shape");
    std::vector<hsize_t> dims(size_t(rank), 0);
    if (rank > 0 && H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr) < 0)
        fail("cannot read its shape");
    std::vector<int64_t> shape;
    for (hsize_t d : dims) {
        if (d > hsize_t(std::numeric_limits<int64_t>::max()))
            fail("has a dimension too large to address");
        shape.push_back(int64_t(d));
    }
    return shape;
}

int64_t Dataset::numel() const
{
    bool overflow = false;
    const int64_t n = checkedProduct(shape(), overflow);
    if (overflow)
        fail("has more elements than can be addressed");
    return n;
}

TypeDescription Dataset::type() const
{
    LibraryLock lock;
    Handle type(H5Dget_type(id()), H5Tclose);
    if (!type.valid())
        fail("cannot read its element type");
    return describe(type.id());
}

void Dataset::readAll(hid_t memType, void* out) const
{
    LibraryLock lock;
    if (H5Dread(id(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
        fail("cannot read its data (damaged or truncated file?)");
}

namespace {

template <class T>
std::vector<T> allocate(const Object& object, int64_t n)
{
    try {
        return std::vector<T>(size_t(n));
    } catch (const std::bad_alloc&) {
        object.fail("is too large to read into memory (" + std::to_string(n) + " elements)");
    } catch (const std::length_error&) {
        object.fail("is too large to read into memory (" + std::to_string(n) + " elements)");
    }
}

} // namespace

std::vector<float> Dataset::readFloats() const
{
    LibraryLock lock;
    const TypeDescription d = type();
    if (d.typeClass != TypeClass::Float)
        fail("holds " + d.name + ", expected floating-point numbers");
    const int64_t n = numel();
    auto values = allocate<float>(*this, n);
    if (n == 0)
        return values;
    if (d.isHalf) {
        // Decode half ourselves: exact, and much faster than HDF5's software conversion.
        auto raw = allocate<uint16_t>(*this, n);
        Handle half = makeType(ElementType::Float16);
        readAll(half.id(), raw.data());
        for (int64_t i = 0; i < n; ++i)
            values[size_t(i)] = halfToFloat(raw[size_t(i)]);
    } else {
        readAll(H5T_NATIVE_FLOAT, values.data());
    }
    return values;
}

std::vector<double> Dataset::readDoubles() const
{
    LibraryLock lock;
    const TypeDescription d = type();
    if (d.typeClass != TypeClass::Float)
        fail("holds " + d.name + ", expected floating-point numbers");
    if (d.isHalf) {
        const auto f = readFloats();
        return std::vector<double>(f.begin(), f.end());
    }
    const int64_t n = numel();
    auto values = allocate<double>(*this, n);
    if (n > 0)
        readAll(H5T_NATIVE_DOUBLE, values.data());
    return values;
}

std::vector<int64_t> Dataset::readInt64s() const
{
    LibraryLock lock;
    const TypeDescription d = type();
    if (d.typeClass != TypeClass::Integer)
        fail("holds " + d.name + ", expected integers");
    if (d.name == "uint64") {
        // HDF5 would clamp values past INT64_MAX silently; read unsigned and check instead.
        const int64_t n = numel();
        auto raw = allocate<uint64_t>(*this, n);
        if (n > 0)
            readAll(H5T_NATIVE_UINT64, raw.data());
        std::vector<int64_t> values(raw.size());
        for (size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] > uint64_t(std::numeric_limits<int64_t>::max()))
                fail("holds a value too large for a signed 64-bit integer");
            values[i] = int64_t(raw[i]);
        }
        return values;
    }
    const int64_t n = numel();
    auto values = allocate<int64_t>(*this, n);
    if (n > 0)
        readAll(H5T_NATIVE_INT64, values.data());
    return values;
}

std::vector<int32_t> Dataset::readInt32s() const
{
    const auto wide = readInt64s();
    std::vector<int32_t> values(wide.size());
    for (size_t i = 0; i < wide.size(); ++i) {
        if (wide[i] < std::numeric_limits<int32_t>::min() ||
            wide[i] > std::numeric_limits<int32_t>::max())
            fail("holds the value " + std::to_string(wide[i]) + ", outside the 32-bit range");
        values[i] = int32_t(wide[i]);
    }
    return values;
}

Handle Dataset::selectRows(int64_t row0, int64_t rows, int64_t cols, Handle& memSpace) const
{
    Handle fileSpace(H5Dget_space(id()), H5Sclose);
    const hsize_t start[2] = {hsize_t(row0), 0};
    const hsize_t count[2] = {hsize_t(rows), hsize_t(cols)};
    if (!fileSpace.valid() ||
        H5Sselect_hyperslab(fileSpace.id(), H5S_SELECT_SET, start, nullptr, count, nullptr) < 0)
        fail("cannot select rows " + std::to_string(row0) + ".." + std::to_string(row0 + rows));
    memSpace = Handle(H5Screate_simple(2, count, nullptr), H5Sclose);
    if (!memSpace.valid())
        fail("cannot describe a block of rows in memory");
    return fileSpace;
}

void Dataset::readFloatRows(int64_t row0, int64_t rows, float* out) const
{
    LibraryLock lock;
    const auto s = shape();
    if (s.size() != 2)
        fail("has rank " + std::to_string(s.size()) + ", expected 2");
    numel(); // fails when rows x cols overflows
    if (row0 < 0 || rows < 0 || row0 > s[0] || rows > s[0] - row0)
        throw std::invalid_argument("hdf5: rows out of range in " + path());
    const TypeDescription d = type();
    if (d.typeClass != TypeClass::Float)
        fail("holds " + d.name + ", expected floating-point numbers");
    if (rows == 0 || s[1] == 0)
        return;
    Handle memSpace;
    Handle fileSpace = selectRows(row0, rows, s[1], memSpace);
    const int64_t n = rows * s[1]; // within numel(), which fits
    if (d.isHalf) {
        auto raw = allocate<uint16_t>(*this, n);
        Handle half = makeType(ElementType::Float16);
        if (H5Dread(id(), half.id(), memSpace.id(), fileSpace.id(), H5P_DEFAULT, raw.data()) < 0)
            fail("cannot read its data (damaged or truncated file?)");
        for (int64_t i = 0; i < n; ++i)
            out[i] = halfToFloat(raw[size_t(i)]);
    } else if (H5Dread(id(), H5T_NATIVE_FLOAT, memSpace.id(), fileSpace.id(), H5P_DEFAULT, out) < 0) {
        fail("cannot read its data (damaged or truncated file?)");
    }
}

void Dataset::writeAll(hid_t memType, const void* data, int64_t count)
{
    LibraryLock lock;
    if (count != numel())
        throw std::invalid_argument("hdf5: writing " + std::to_string(count) + " values to " +
                                    path() + " of " + std::to_string(numel()));
    if (count == 0)
        return;
    if (H5Dwrite(id(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        fail("cannot write its data (disk full?)");
}

void Dataset::write(const float* data, int64_t count)
{
    LibraryLock lock;
    if (type().isHalf) {
        std::vector<uint16_t> raw(size_t(std::max<int64_t>(count, 0)));
        for (int64_t i = 0; i < count; ++i)
            raw[size_t(i)] = floatToHalf(data[i]);
        Handle half = makeType(ElementType::Float16);
        writeAll(half.id(), raw.data(), count);
    } else {
        writeAll(H5T_NATIVE_FLOAT, data, count);
    }
}

void Dataset::write(const double* data, int64_t count)
{
    LibraryLock lock;
    if (type().isHalf) {
        std::vector<float> narrow(data, data + std::max<int64_t>(count, 0));
        write(narrow.data(), count);
    } else {
        writeAll(H5T_NATIVE_DOUBLE, data, count);
    }
}

void Dataset::write(const int32_t* data, int64_t count) { writeAll(H5T_NATIVE_INT32, data, count); }

void Dataset::write(const int64_t* data, int64_t count) { writeAll(H5T_NATIVE_INT64, data, count); }

void Dataset::writeFloatRows(int64_t row0, int64_t rows, const float* data)
{
    LibraryLock lock;
    const auto s = shape();
    if (s.size() != 2)
        throw std::invalid_argument("hdf5: writeFloatRows on " + path() + ", which is not 2-D");
    numel(); // fails when rows x cols overflows
    if (row0 < 0 || rows < 0 || row0 > s[0] || rows > s[0] - row0)
        throw std::invalid_argument("hdf5: rows out of range in " + path());
    if (rows == 0 || s[1] == 0)
        return;
    Handle memSpace;
    Handle fileSpace = selectRows(row0, rows, s[1], memSpace);
    herr_t status;
    if (type().isHalf) {
        const int64_t n = rows * s[1];
        std::vector<uint16_t> raw(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            raw[size_t(i)] = floatToHalf(data[i]);
        Handle half = makeType(ElementType::Float16);
        status = H5Dwrite(id(), half.id(), memSpace.id(), fileSpace.id(), H5P_DEFAULT, raw.data());
    } else {
        status = H5Dwrite(id(), H5T_NATIVE_FLOAT, memSpace.id(), fileSpace.id(), H5P_DEFAULT, data);
    }
    if (status < 0)
        fail("cannot write its data (disk full?)");
}

// ---------------------------------------------------------------------------------------------
// Group

std::vector<Link> Group::links() const
{
    LibraryLock lock;
    std::vector<std::string> names;
    auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    hsize_t index = 0;
    if (H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, &index, collect, &names) < 0)
        fail("cannot list its members");
    std::vector<Link> links;
    links.reserve(names.size());
    for (auto& name : names) {
        const LinkKind kind = linkKind(name);
        links.push_back({std::move(name), kind});
    }
    return links;
}

bool Group::hasLink(const std::string& name) const
{
    LibraryLock lock;
    return isValidLinkName(name) && H5Lexists(id(), name.c_str(), H5P_DEFAULT) > 0;
}

LinkKind Group::linkKind(const std::string& name) const
{
    LibraryLock lock;
    if (!hasLink(name))
        return LinkKind::Other;
    H5L_info_t info;
    if (H5Lget_info(id(), name.c_str(), &info, H5P_DEFAULT) < 0 || info.type == H5L_TYPE_EXTERNAL)
        return LinkKind::Other; // never follow a link out of this file
    Handle object(H5Oopen(id(), name.c_str(), H5P_DEFAULT), H5Oclose);
    if (!object.valid())
        return LinkKind::Other; // dangling soft link
    switch (H5Iget_type(object.id())) {
    case H5I_GROUP: return LinkKind::Group;
    case H5I_DATASET: return LinkKind::Dataset;
    default: return LinkKind::Other;
    }
}

Group Group::openGroup(const std::string& name) const
{
    LibraryLock lock;
    const std::string child = childPath(name);
    if (!hasLink(name))
        throw InputError(m_file, child + ": missing (expected a group)");
    if (linkKind(name) != LinkKind::Group)
        throw InputError(m_file, child + ": is not a group");
    Handle handle(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), H5Gclose);
    if (!handle.valid())
        throw InputError(m_file, child + ": cannot open the group");
    return Group(std::move(handle), m_file, child);
}

Dataset Group::openDataset(const std::string& name) const
{
    LibraryLock lock;
    const std::string child = childPath(name);
    if (!hasLink(name))
        throw InputError(m_file, child + ": missing (expected a dataset)");
    if (linkKind(name) != LinkKind::Dataset)
        throw InputError(m_file, child + ": is not a dataset");
    Handle handle(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!handle.valid())
        throw InputError(m_file, child + ": cannot open the dataset");
    return Dataset(std::move(handle), m_file, child);
}

Group Group::createGroup(const std::string& name)
{
    LibraryLock lock;
    if (!isValidLinkName(name))
        throw InputError(m_file, "'" + name + "' cannot name an HDF5 group (empty, '.', '..' or "
                                              "containing '/')");
    const std::string child = childPath(name);
    // No modification times in object headers: the same content gives the same bytes.
    Handle properties(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
    if (!properties.valid() || H5Pset_obj_track_times(properties.id(), false) < 0)
        fail("cannot prepare the group " + name);
    Handle handle(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, properties.id(), H5P_DEFAULT), H5Gclose);
    if (!handle.valid())
        throw InputError(m_file, child + ": cannot create the group (does it exist already?)");
    return Group(std::move(handle), m_file, child);
}

Dataset Group::createDataset(const std::string& name, ElementType type,
                             const std::vector<int64_t>& shape, const DatasetLayout& layout)
{
    LibraryLock lock;
    if (!isValidLinkName(name))
        throw InputError(m_file, "'" + name + "' cannot name an HDF5 dataset (empty, '.', '..' "
                                              "or containing '/')");
    if (layout.compressionLevel < 0 || layout.compressionLevel > 9)
        throw std::invalid_argument("hdf5: compression level must be 0..9");
    const std::string child = childPath(name);
    bool overflow = false;
    const int64_t n = checkedProduct(shape, overflow);
    if (overflow)
        throw std::invalid_argument("hdf5: shape of " + child + " has negative or too many elements");

    Handle fileType = makeType(type);
    const size_t elementBytes = H5Tget_size(fileType.id());
    std::vector<hsize_t> dims(shape.begin(), shape.end());
    Handle space = dims.empty() ? Handle(H5Screate(H5S_SCALAR), H5Sclose)
                                : Handle(H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                                         H5Sclose);
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (!space.valid() || !properties.valid() || H5Pset_obj_track_times(properties.id(), false) < 0)
        fail("cannot prepare the dataset " + name);

    const bool wantChunks = layout.chunkRows > 0 || layout.compressionLevel > 0;
    if (wantChunks && !dims.empty() && n > 0) {
        // Chunks span whole rows; their row count shrinks so one chunk stays small enough to
        // sit in HDF5's chunk cache (the leading dimension is the one readers slice).
        const int64_t rowBytes = int64_t(elementBytes) * (n / shape[0]);
        const int64_t wantRows = dims.size() == 1 ? std::numeric_limits<int64_t>::max()
                                                  : std::max<int64_t>(layout.chunkRows, 1);
        const int64_t fitRows = std::max<int64_t>(layout.maxChunkBytes / std::max<int64_t>(rowBytes, 1), 1);
        const int64_t chunkRows = std::min({shape[0], wantRows, fitRows});
        std::vector<hsize_t> chunk = dims;
        chunk[0] = hsize_t(chunkRows);
        // HDF5 caps a chunk at 4 GiB; a row that large stays contiguous and uncompressed.
        if (double(chunkRows) * double(rowBytes) < 4.0e9) {
            if (H5Pset_chunk(properties.id(), int(chunk.size()), chunk.data()) < 0)
                fail("cannot set the chunking of " + name);
            if (layout.compressionLevel > 0) {
                if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0)
                    throw Error("HDF5 was built without the deflate filter");
                if ((layout.shuffle && H5Pset_shuffle(properties.id()) < 0) ||
                    H5Pset_deflate(properties.id(), unsigned(layout.compressionLevel)) < 0)
                    fail("cannot set the compression of " + name);
            }
        }
    }
    Handle handle(H5Dcreate2(id(), name.c_str(), fileType.id(), space.id(), H5P_DEFAULT,
                             properties.id(), H5P_DEFAULT),
                  H5Dclose);
    if (!handle.valid())
        throw InputError(m_file, child + ": cannot create the dataset (does it exist already?)");
    return Dataset(std::move(handle), m_file, child);
}

Dataset Group::writeVector(const std::string& name, const std::vector<double>& values)
{
    Dataset d = createDataset(name, ElementType::Float64, {int64_t(values.size())}, {0, 1 << 20, 0, false});
    d.write(values.data(), int64_t(values.size()));
    return d;
}

Dataset Group::writeVector(const std::string& name, const std::vector<int32_t>& values)
{
    Dataset d = createDataset(name, ElementType::Int32, {int64_t(values.size())}, {0, 1 << 20, 0, false});
    d.write(values.data(), int64_t(values.size()));
    return d;
}

Dataset Group::writeVector(const std::string& name, const std::vector<int64_t>& values)
{
    Dataset d = createDataset(name, ElementType::Int64, {int64_t(values.size())}, {0, 1 << 20, 0, false});
    d.write(values.data(), int64_t(values.size()));
    return d;
}

// ---------------------------------------------------------------------------------------------
// File

File File::openReadOnly(const std::string& path)
{
    LibraryLock lock;
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        throw InputError(path, "no such file");
    if (std::filesystem::is_directory(status))
        throw InputError(path, "is a folder, not an HDF5 file");
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw InputError(path, "not an HDF5 file");
    Handle handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!handle.valid())
        throw InputError(path, "cannot open the HDF5 file (damaged or truncated?)");
    return File(std::move(handle), path);
}

File File::create(const std::string& path, bool exclusive)
{
    LibraryLock lock;
    // The root group records no modification time either (see Group::createGroup).
    Handle creation(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
    if (!creation.valid() || H5Pset_obj_track_times(creation.id(), false) < 0)
        throw InputError(path, "cannot prepare the file's creation properties");
    Handle handle(H5Fcreate(path.c_str(), exclusive ? H5F_ACC_EXCL : H5F_ACC_TRUNC, creation.id(), H5P_DEFAULT),
                  H5Fclose);
    if (!handle.valid())
        throw InputError(path, exclusive ? "cannot create the file (it exists, or the folder is "
                                           "missing or not writable)"
                                         : "cannot create the file (is the folder missing or not "
                                           "writable?)");
    return File(std::move(handle), path);
}

Group File::root() const
{
    LibraryLock lock;
    Handle handle(H5Gopen2(m_handle.id(), "/", H5P_DEFAULT), H5Gclose);
    if (!handle.valid())
        throw InputError(m_path, "cannot open the root group");
    return Group(std::move(handle), m_path, "/");
}

void File::close()
{
    LibraryLock lock;
    if (!m_handle.valid())
        return;
    const bool flushed = H5Fflush(m_handle.id(), H5F_SCOPE_LOCAL) >= 0;
    const bool closed = m_handle.reset();
    if (!flushed || !closed)
        throw InputError(m_path, "cannot finish writing the file (disk full?)");
}

} // namespace salience::hdf5
