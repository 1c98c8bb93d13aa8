/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import dev.wirespeed.core.os.CpuAffinity;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/** One forwarding thread: the agent on an Agrona AgentRunner, pinned to a CPU when asked. */
final class Lcore implements AutoCloseable {
    private final ForwardingAgent agent;
    private final AgentRunner runner;
    private volatile Throwable error;

    private Lcore(ForwardingAgent agent, int cpu, IdleStrategy idle) {
        this.agent = agent;
        Agent pinned = new Agent() {
            @Override
            public void onStart() {
                if (cpu >= 0) {
                    CpuAffinity.pinCurrentThread(cpu);
                }
                agent.onStart();
            }

            @Override
            public int doWork() {
                return agent.doWork();
            }

            @Override
            public String roleName() {
                return agent.roleName();
            }
        };
        this.runner = new AgentRunner(idle, t -> {
            if (error == null) {
                error = t;
            }
        }, null, pinned);
    }

    static Lcore start(ForwardingAgent agent, int cpu, IdleStrategy idle) {
        Lcore l = new Lcore(agent, cpu, idle);
        AgentRunner.startOnThread(l.runner);
        return l;
    }

    ForwardingAgent agent() {
        return agent;
    }

    String name() {
        return agent.roleName();
    }

    Throwable error() {
        return error;
    }

    @Override
    public void close() {
        runner.close();
    }
}
