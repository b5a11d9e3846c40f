// libFuzzer harness: arbitrary bytes read as a gguf file (FuzzTargets.h says how).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string path = salience::fuzz::writeInput(data, size, "gguf");
    salience::fuzz::refusedOrRead([&] { salience::fuzz::exercise("gguf", path); });
    return 0;
}
