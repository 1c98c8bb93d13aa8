/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 *
 * dpdk-anchor: DPDK at its best on the work NullForwardBenchmark does, for jmh/dpdk-compare (issue #17).
 *
 * Two null ports forwarded into each other by one thread in bursts of 32 (port 0 -> 1, then 1 -> 0), as
 * testpmd does with two net_null vdevs, in three variants of the same loop:
 *
 *   ethdev  rte_eth_rx_burst / rte_eth_tx_burst on two net_null ports: testpmd's io work without testpmd
 *           (net_null 22.11: rte_pktmbuf_alloc_bulk, three field writes per mbuf, a locked add per burst on
 *           rx and on tx, tx frees mbufs one by one with rte_pktmbuf_free).
 *   inline  net_null's rx and tx work written out in this loop, with plain counters instead of locked adds.
 *   bulk    as inline, but tx returns the burst with one rte_mempool_put_bulk: what a NIC PMD's tx
 *           completion does with RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE (single-segment mbufs of one pool,
 *           reference count 1). The fastest way DPDK 22.11 has to run this loop.
 *
 * and per packet work (--mode):
 *
 *   io       none (no packet data touched)
 *   mac      testpmd's mac engine (app/test-pmd/macfwd.c): prefetch the next packet's data, write both MAC
 *            addresses, and five mbuf fields (ol_flags, l2_len, l3_len, vlan_tci, vlan_tci_outer)
 *   mac-bare both MAC addresses written, no mbuf fields, no prefetch
 *   macswap  testpmd's macswap engine (macswap.h): prefetch, swap the two MAC addresses, three mbuf fields
 *            (ol_flags, l2_len, l3_len)
 *   macswap-bare  the swap alone
 *   copy     net_null's copy=1,size=64: rx copies a 64-byte frame into every mbuf, tx copies every frame out
 *
 * It forwards for --seconds after --warmup seconds and prints one line:
 *   anchor VARIANT MODE packets=N wall_s=W cpu_s=C mpps_wall=X mpps_cpu=Y cpu_share=S
 * where cpu_s is this thread's CPU time (CLOCK_THREAD_CPUTIME_ID) over the measured window: the same clock
 * that the Java side reads with ThreadMXBean.getCurrentThreadCpuTime.
 *
 * Built by jmh/dpdk-compare against Debian's DPDK 22.11 (dpdk-dev):
 *   cc -O3 $(pkg-config --cflags libdpdk) dpdk-anchor.c $(pkg-config --libs libdpdk)
 * Run: dpdk-anchor [EAL args] -- --variant bulk --mode io [--seconds 5] [--warmup 2]
 * EAL args as for testpmd: -l 1 --no-huge -m 512 --no-pci --vdev net_null0 --vdev net_null1 (ethdev only).
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_prefetch.h>

#define BURST 32
#define FRAME 64
#define NB_MBUF 8191
#define MBUF_CACHE 250 /* testpmd's default --mbcache */

enum variant { V_ETHDEV, V_INLINE, V_BULK };
enum mode { M_IO, M_MAC, M_MAC_BARE, M_MACSWAP, M_MACSWAP_BARE, M_COPY };

static const char *const VARIANTS[] = {"ethdev", "inline", "bulk"};
static const char *const MODES[] = {"io", "mac", "mac-bare", "macswap", "macswap-bare", "copy"};

static struct rte_mempool *pool;
static enum variant variant = V_BULK;
static enum mode mode = M_IO;
static struct rte_ether_addr port_mac[2];
static uint8_t template_frame[FRAME] __rte_cache_aligned;
static uint8_t sink[2][FRAME] __rte_cache_aligned;
/* Plain counters, one writer: what inline/bulk keep instead of net_null's locked adds. */
static uint64_t rx_pkts[2], tx_pkts[2];

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int lookup(const char *const *names, int count, const char *name, const char *what)
{
	for (int i = 0; i < count; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	fprintf(stderr, "dpdk-anchor: unknown %s '%s'\n", what, name);
	exit(2);
}

/* net_null's eth_null_rx (or eth_null_copy_rx with copy=1), with a plain counter. */
static inline uint16_t inline_rx(uint16_t port, struct rte_mbuf **pkts)
{
	if (rte_pktmbuf_alloc_bulk(pool, pkts, BURST) != 0)
		return 0;
	for (int i = 0; i < BURST; i++) {
		if (mode == M_COPY)
			rte_memcpy(rte_pktmbuf_mtod(pkts[i], void *), template_frame, FRAME);
		pkts[i]->data_len = FRAME;
		pkts[i]->pkt_len = FRAME;
		pkts[i]->port = port;
	}
	rx_pkts[port] += BURST;
	return BURST;
}

/* net_null's eth_null_tx (frees one by one), or the FAST_FREE-like bulk return; plain counter. */
static inline uint16_t inline_tx(uint16_t port, struct rte_mbuf **pkts, uint16_t n)
{
	if (mode == M_COPY)
		for (int i = 0; i < n; i++)
			rte_memcpy(sink[port], rte_pktmbuf_mtod(pkts[i], void *), FRAME);
	if (variant == V_BULK) {
		rte_mempool_put_bulk(pool, (void **)pkts, n);
	} else {
		for (int i = 0; i < n; i++)
			rte_pktmbuf_free(pkts[i]);
	}
	tx_pkts[port] += n;
	return n;
}

static inline void mbuf_fields(struct rte_mbuf *mb, int vlan)
{
	mb->ol_flags &= RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL;
	mb->ol_flags |= 0; /* no tx offloads configured, as testpmd by default */
	mb->l2_len = sizeof(struct rte_ether_hdr);
	mb->l3_len = sizeof(struct rte_ipv4_hdr);
	if (vlan) {
		mb->vlan_tci = 0;
		mb->vlan_tci_outer = 0;
	}
}

static inline void work(struct rte_mbuf **pkts, uint16_t n, uint16_t tx_port)
{
	struct rte_ether_addr tmp;
	/* testpmd's peer address default is 02:00:00:00:00:<port>; the exact value does not matter. */
	static const struct rte_ether_addr peer = {{0x02, 0, 0, 0, 0, 1}};

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *mb = pkts[i];
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(mb, struct rte_ether_hdr *);

		switch (mode) {
		case M_MAC:
			if (likely(i < n - 1))
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
			rte_ether_addr_copy(&peer, &eth->dst_addr);
			rte_ether_addr_copy(&port_mac[tx_port], &eth->src_addr);
			mbuf_fields(mb, 1);
			break;
		case M_MAC_BARE:
			rte_ether_addr_copy(&peer, &eth->dst_addr);
			rte_ether_addr_copy(&port_mac[tx_port], &eth->src_addr);
			break;
		case M_MACSWAP:
			if (likely(i < n - 1))
				rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
			rte_ether_addr_copy(&eth->dst_addr, &tmp);
			rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
			rte_ether_addr_copy(&tmp, &eth->src_addr);
			mbuf_fields(mb, 0);
			break;
		case M_MACSWAP_BARE:
			rte_ether_addr_copy(&eth->dst_addr, &tmp);
			rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
			rte_ether_addr_copy(&tmp, &eth->src_addr);
			break;
		default:
			return;
		}
	}
}

/* One burst from rx_port forwarded to its peer; returns packets forwarded. */
static inline uint16_t forward(uint16_t rx_port)
{
	struct rte_mbuf *pkts[BURST];
	uint16_t tx_port = rx_port ^ 1;
	uint16_t n, sent;

	if (variant == V_ETHDEV)
		n = rte_eth_rx_burst(rx_port, 0, pkts, BURST);
	else
		n = inline_rx(rx_port, pkts);
	if (n == 0)
		return 0;
	work(pkts, n, tx_port);
	if (variant == V_ETHDEV)
		sent = rte_eth_tx_burst(tx_port, 0, pkts, n);
	else
		sent = inline_tx(tx_port, pkts, n);
	if (unlikely(sent < n))
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
	return n;
}

static void port_setup(uint16_t port)
{
	struct rte_eth_conf conf;
	int rc;

	memset(&conf, 0, sizeof(conf));
	if ((rc = rte_eth_dev_configure(port, 1, 1, &conf)) != 0 ||
	    (rc = rte_eth_rx_queue_setup(port, 0, 512, rte_socket_id(), NULL, pool)) != 0 ||
	    (rc = rte_eth_tx_queue_setup(port, 0, 512, rte_socket_id(), NULL)) != 0 ||
	    (rc = rte_eth_dev_start(port)) != 0) {
		fprintf(stderr, "dpdk-anchor: port %u setup failed: %s\n", port, rte_strerror(-rc));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	double seconds = 5, warmup = 2;
	int eal = rte_eal_init(argc, argv);

	if (eal < 0) {
		fprintf(stderr, "dpdk-anchor: rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= eal;
	argv += eal;
	static const struct option opts[] = {
		{"variant", required_argument, NULL, 'v'}, {"mode", required_argument, NULL, 'm'},
		{"seconds", required_argument, NULL, 's'}, {"warmup", required_argument, NULL, 'w'},
		{NULL, 0, NULL, 0}};
	for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
		switch (c) {
		case 'v': variant = lookup(VARIANTS, 3, optarg, "variant (ethdev, inline, bulk)"); break;
		case 'm': mode = lookup(MODES, 6, optarg, "mode (io, mac, mac-bare, macswap, macswap-bare, copy)"); break;
		case 's': seconds = atof(optarg); break;
		case 'w': warmup = atof(optarg); break;
		default: return 2;
		}
	}
	pool = rte_pktmbuf_pool_create("anchor", NB_MBUF, MBUF_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (pool == NULL) {
		fprintf(stderr, "dpdk-anchor: mbuf pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	for (int i = 0; i < FRAME; i++)
		template_frame[i] = (uint8_t)i;
	for (uint16_t p = 0; p < 2; p++) {
		port_mac[p] = (struct rte_ether_addr){{0x02, 0, 0, 0xA0, 0, (uint8_t)p}};
		if (variant == V_ETHDEV) {
			if (!rte_eth_dev_is_valid_port(p)) {
				fprintf(stderr, "dpdk-anchor: ethdev variant needs two ports: --vdev net_null0 --vdev net_null1%s\n",
					mode == M_COPY ? " with copy=1,size=64" : "");
				return 1;
			}
			port_setup(p);
			rte_eth_macaddr_get(p, &port_mac[p]);
		}
	}

	uint64_t packets = 0, wall0 = 0, cpu0 = 0;
	uint64_t start = clock_ns(CLOCK_MONOTONIC);
	uint64_t warm_end = start + (uint64_t)(warmup * 1e9);
	uint64_t end = warm_end + (uint64_t)(seconds * 1e9);
	int measuring = 0;
	for (;;) {
		/* The clock is read once per 64 bursts, as JMH reads it once per iteration: not per packet. */
		for (int k = 0; k < 64; k++)
			packets += forward(0) + forward(1);
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		if (!measuring && now >= warm_end) {
			measuring = 1;
			packets = 0;
			wall0 = now;
			cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		} else if (measuring && now >= end) {
			uint64_t cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
			double wall_s = (now - wall0) / 1e9, cpu_s = cpu / 1e9;
			printf("anchor %s %s packets=%" PRIu64 " wall_s=%.4f cpu_s=%.4f mpps_wall=%.2f mpps_cpu=%.2f cpu_share=%.4f\n",
			       VARIANTS[variant], MODES[mode], packets, wall_s, cpu_s, packets / wall_s / 1e6,
			       packets / cpu_s / 1e6, cpu_s / wall_s);
			break;
		}
	}
	fflush(stdout);
	if (variant == V_ETHDEV)
		for (uint16_t p = 0; p < 2; p++)
			rte_eth_dev_stop(p);
	/* Every mbuf must be back: the same check the Java side makes when it closes its pool. */
	if (rte_mempool_avail_count(pool) != NB_MBUF && variant != V_ETHDEV) {
		fprintf(stderr, "dpdk-anchor: %u mbufs not returned\n", NB_MBUF - rte_mempool_avail_count(pool));
		return 1;
	}
	rte_eal_cleanup();
	return 0;
}
