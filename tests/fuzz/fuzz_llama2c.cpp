// libFuzzer harness: arbitrary bytes read as a llama2c file (FuzzTargets.h says how).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = salience::fuzz::writeInput(data, size, "llama2c");
    salience::fuzz::refusedOrRead([&] { salience::fuzz::exercise("llama2c", path); });
    return 0;
}
