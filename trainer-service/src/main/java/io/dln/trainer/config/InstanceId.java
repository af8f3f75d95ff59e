package io.dln.trainer.config;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;

@ApplicationScoped
public class InstanceId {

    private final String value;

    public InstanceId(TrainerConfig config) {
        this.value = config.instanceId().orElseGet(InstanceId::hostAndPid);
    }

    public String value() {
        return value;
    }

    private static String hostAndPid() {
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (Exception e) {
            return "trainer-" + ProcessHandle.current().pid();
        }
    }
}
