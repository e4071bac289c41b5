// Compiles core/torch/Pch.h once; other targets reuse the result.
