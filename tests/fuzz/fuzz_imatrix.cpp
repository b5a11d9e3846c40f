// libFuzzer harness: arbitrary bytes read as a imatrix file (FuzzTargets.h says how).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = salience::fuzz::writeInput(data, size, "imatrix");
    salience::fuzz::refusedOrRead([&] { salience::fuzz::exercise("imatrix", path); });
    return 0;
}
