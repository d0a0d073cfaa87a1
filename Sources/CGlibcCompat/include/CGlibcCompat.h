// CGlibcCompat has no interface: it only defines, for the release link against glibc 2.28's symbol
// versions (Containers/release.sh), the few glibc symbols the toolchain's static archives need that
// glibc 2.28 lacks. See CGlibcCompat.c.
#pragma once
