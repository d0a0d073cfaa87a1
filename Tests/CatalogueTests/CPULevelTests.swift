import XCTest
@testable import Catalogue

/// The x86-64 level from /proc/cpuinfo texts captured on real machines (the first processor's block,
/// shortened to the lines that matter, flags as the kernel printed them).
final class CPULevelTests: XCTestCase {
    /// AMD EPYC (this development machine, Zen 4): AVX-512, so v4. LZCNT shows as `abm`.
    static let epyc = """
    processor\t: 0
    vendor_id\t: AuthenticAMD
    model name\t: AMD EPYC
    flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm rep_good nopl cpuid extd_apicid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw topoext perfctr_core invpcid_single ssbd ibrs ibpb stibp vmmcall fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves avx512_bf16 clzero xsaveerptr wbnoinvd arat avx512vbmi umip pku ospke avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg avx512_vpopcntdq rdpid fsrm
    bugs\t\t: sysret_ss_attrs null_seg spectre_v1 spectre_v2
    """

    /// Intel Core i7-4770 (Haswell): AVX2 and friends, no AVX-512, so v3.
    static let haswell = """
    processor\t: 0
    model name\t: Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz
    flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm cpuid_fault epb invpcid_single pti ssbd ibrs ibpb stibp tpr_shadow vnmi flexpriority ept vpid ept_ad fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid xsaveopt dtherm ida arat pln pts md_clear flush_l1d
    """

    /// Intel Core i7-920 (Nehalem): SSE4.2 and POPCNT, no AVX, so v2.
    static let nehalem = """
    processor\t: 0
    model name\t: Intel(R) Core(TM) i7 CPU         920  @ 2.67GHz
    flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx rdtscp lm constant_tsc arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf pni dtes64 monitor ds_cpl vmx est tm2 ssse3 cx16 xtpr pdcm sse4_1 sse4_2 popcnt lahf_lm pti tpr_shadow vnmi flexpriority ept vpid dtherm ida
    """

    /// Intel Core 2 Duo E8400 (Penryn): SSE4.1 but no SSE4.2 or POPCNT, so the baseline.
    static let penryn = """
    processor\t: 0
    model name\t: Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz
    flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx lm constant_tsc arch_perfmon pebs bts rep_good nopl cpuid aperfmperf pni dtes64 monitor ds_cpl vmx smx est tm2 ssse3 cx16 xtpr pdcm sse4_1 xsave lahf_lm pti tpr_shadow vnmi flexpriority vpid dtherm
    """

    func level(_ text: String) -> String? { CPULevel.highest(flags: CPULevel.flags(cpuInfo: text)) }

    func testLevelsOfRealCPUs() {
        XCTAssertEqual(level(Self.epyc), "v4")
        XCTAssertEqual(level(Self.haswell), "v3")
        XCTAssertEqual(level(Self.nehalem), "v2")
        XCTAssertNil(level(Self.penryn))
    }

    func testALevelNeedsEveryFlagOfTheLevelsBelow() {
        // AVX-512 without v3's MOVBE is still v2: levels are cumulative.
        XCTAssertEqual(level(Self.epyc.replacingOccurrences(of: " movbe ", with: " ")), "v2")
        XCTAssertEqual(level(Self.haswell.replacingOccurrences(of: " abm ", with: " lzcnt ")), "v3", "lzcnt spelt out counts too")
        XCTAssertEqual(level(Self.haswell.replacingOccurrences(of: " abm ", with: " ")), "v2", "no LZCNT, no v3")
        XCTAssertNil(level(""), "no cpuinfo (macOS, a container without /proc): the baseline")
        XCTAssertNil(level("processor : 0\nflags_extra : avx2\n"))
    }

    func testTheMachineRunsItsLevelAndTheOnesBelowUnlessForced() throws {
        let machine = try Platform.machine(cpuInfo: { Self.haswell }, archOverride: nil)
        guard machine.arch == "x86_64" else { throw XCTSkip("levels exist on x86-64 only") }
        XCTAssertEqual(machine.archTag, "x86_64_v3")
        for (tag, runs) in [("x86_64", true), ("x86_64_v2", true), ("x86_64_v3", true), ("x86_64_v4", false)] {
            XCTAssertEqual(machine.runs(Platform(os: machine.os, archTag: tag, libc: machine.libc)!), runs, tag)
        }
        XCTAssertFalse(machine.runs(Platform(os: machine.os, archTag: "x86_64", libc: "musl")!))
        let forced = try Platform.machine(cpuInfo: { Self.haswell }, archOverride: "x86_64_v2")
        for (tag, runs) in [("x86_64", false), ("x86_64_v2", true), ("x86_64_v3", false)] {
            XCTAssertEqual(forced.runs(Platform(os: machine.os, archTag: tag, libc: machine.libc)!), runs, "forced: \(tag)")
        }
        XCTAssertThrowsError(try Platform.machine(cpuInfo: { Self.haswell }, archOverride: "x86_64_v7")) { error in
            XCTAssertTrue("\(error)".contains("PYMAN_PYTHON_ARCH=x86_64_v7") && "\(error)".contains("x86_64_v3"), "\(error)")
        }
        XCTAssertThrowsError(try Platform.machine(cpuInfo: { Self.haswell }, archOverride: "aarch64"))
    }
}
