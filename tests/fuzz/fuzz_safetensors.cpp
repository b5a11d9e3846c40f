// libFuzzer harness: arbitrary bytes read as a safetensors file (FuzzTargets.h says how).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = salience::fuzz::writeInput(data, size, "safetensors");
    salience::fuzz::refusedOrRead([&] { salience::fuzz::exercise("safetensors", path); });
    return 0;
}
