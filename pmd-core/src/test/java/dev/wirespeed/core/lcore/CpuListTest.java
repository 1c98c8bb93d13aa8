/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.lcore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.BitSet;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuListTest {

    @Test
    void parsesSingleCpusAndRanges() {
        assertThat(CpuList.parseToArray("0-3,6")).containsExactly(0, 1, 2, 3, 6);
        assertThat(CpuList.parseToArray("5")).containsExactly(5);
        assertThat(CpuList.parseToArray("7,2-2,0")).containsExactly(0, 2, 7);
        assertThat(CpuList.parseToArray(" 1 - 2 , 4 ")).containsExactly(1, 2, 4);
        assertThat(CpuList.parseToArray("1023")).containsExactly(CpuList.MAX_CPU);
        assertThat(CpuList.parse("0-3,6")).isEqualTo(bits(0, 1, 2, 3, 6));
    }

    @Test
    void formatsTheShortestList() {
        assertThat(CpuList.format(bits(0, 1, 2, 3, 6))).isEqualTo("0-3,6");
        assertThat(CpuList.format(bits(1, 3, 4))).isEqualTo("1,3-4");
        assertThat(CpuList.format(bits(9))).isEqualTo("9");
        assertThat(CpuList.format(new BitSet())).isEmpty();
    }

    @Test
    void formatAndParseAreInverse() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 500; round++) {
            BitSet cpus = new BitSet();
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                cpus.set(random.nextInt(random.nextBoolean() ? 16 : CpuList.MAX_CPU + 1));
            }
            String text = CpuList.format(cpus);
            assertThat(CpuList.parse(text)).as(text).isEqualTo(cpus);
            assertThat(CpuList.format(CpuList.parse(text))).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''              | empty CPU list",
            "'   '           | empty CPU list",
            "'0,,2'          | empty item at position 2",
            "'0-3,'          | empty item at position 2",
            "'x'             | \"x\" is not a CPU number",
            "'-1'            | \"-1\" is not a CPU number",
            "'1-'            | \"1-\" is not a CPU number",
            "'0-3-5'         | \"0-3-5\" is not a CPU number",
            "'+3'            | \"+3\" is not a CPU number",
            "'3-1'           | range \"3-1\" runs backwards; write it as \"1-3\"",
            "'1024'          | CPU 1024 in \"1024\" is beyond the largest supported CPU number 1023",
            "'99999999999'   | beyond the largest supported CPU number",
            "'0-3,2'         | names CPU 2 more than once",
            "'0-8:2'         | stride form, which is not supported",
    })
    void rejectsBadListsSayingWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> CpuList.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> CpuList.parse(null)).hasMessageContaining("empty CPU list");
    }

    private static BitSet bits(int... cpus) {
        BitSet set = new BitSet();
        for (int cpu : cpus) {
            set.set(cpu);
        }
        return set;
    }
}
