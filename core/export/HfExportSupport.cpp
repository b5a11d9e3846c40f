#include "export/HfExportSupport.h"

#include "io/AtomicFile.h"

namespace salience {

std::string floatDtypeFor(const std::string& stored)
{
    return stored == "F16" || stored == "BF16" ? stored : "F32";
}

std::vector<float> flatValues(const Matrix& m) { return {m.data(), m.data() + m.size()}; }

void writeTextFile(const std::string& path, const std::string& text, bool overwrite)
{
    AtomicFile f(path, overwrite);
    f.stream() << text;
    f.commit();
}

} // namespace salience
