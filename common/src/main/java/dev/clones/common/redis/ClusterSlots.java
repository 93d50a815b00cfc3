package dev.clones.common.redis;

import io.vertx.redis.client.impl.ZModem;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Names a key in the same Redis Cluster hash slot as another key, whatever that key looks like (with a hash tag, or
 * with braces that are none, as a user's e-mail address may have): {@code prefix:{t}}, where {@code t} is the
 * shortest decimal number whose slot is the key's. The slot function is the Vert.x client's own, so the key goes to
 * exactly the node the client sends the other key's commands to.
 */
final class ClusterSlots {

    private static final int SLOTS = 16384;
    /** Slot → its tag, found on first use: about 16,000 CRC16s of a few bytes for a slot never seen. */
    private static final AtomicReferenceArray<String> TAGS = new AtomicReferenceArray<>(SLOTS);

    private ClusterSlots() {
    }

    static String keyInSlotOf(String prefix, String key) {
        return prefix + ":{" + tagOf(ZModem.generate(key)) + "}";
    }

    private static String tagOf(int slot) {
        String tag = TAGS.get(slot);
        if (tag == null) {
            for (long candidate = 0; tag == null; candidate++) {
                String name = Long.toString(candidate);
                if (ZModem.generate(name) == slot) {
                    tag = name;
                }
            }
            TAGS.set(slot, tag);
        }
        return tag;
    }
}
