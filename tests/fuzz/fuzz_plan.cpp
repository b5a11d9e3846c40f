// libFuzzer harness: arbitrary bytes read as a plan file (FuzzTargets.h says how).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = salience::fuzz::writeInput(data, size, "plan");
    salience::fuzz::refusedOrRead([&] { salience::fuzz::exercise("plan", path); });
    return 0;
}
