package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Our hand-written SOA query is the query dnsjava would write, so every server reads it the same. */
class SoaQueryWireTest {
    @Test
    void sameBytesAsDnsjavasNonRecursiveQuery() throws Exception {
        for (String zone : new String[] {".", "example.", "z12345.bench.", "a-very-long-label-of-sixty-three-characters-for-the-test-xxxxxx.example.org."}) {
            Name name = Name.fromString(zone);
            ByteBuf b = SoaQueryWire.write(Unpooled.buffer(), 0xbeef, name);
            assertEquals(SoaQueryWire.length(name), b.readableBytes());
            Message m = Message.newQuery(Record.newRecord(name, Type.SOA, DClass.IN));
            m.getHeader().setID(0xbeef);
            m.getHeader().unsetFlag(Flags.RD);
            assertArrayEquals(m.toWire(), ByteBufUtil.getBytes(b), zone);
            Message parsed = new Message(ByteBufUtil.getBytes(b));
            assertEquals(name, parsed.getQuestion().getName());
        }
    }

    @Test
    void idsCoverTheWholeSpaceWithoutAnObviousPattern() {
        QueryIds ids = new QueryIds();
        Set<Integer> seen = new HashSet<>();
        int previous = -1;
        int repeatsOfPrevious = 0;
        for (int i = 0; i < 100_000; i++) {
            int id = ids.next16();
            assertEquals(id, id & 0xffff);
            if (id == previous) repeatsOfPrevious++;
            previous = id;
            seen.add(id);
        }
        // 100,000 draws from 65,536 values cover about 78% of them; a stuck or narrow generator does not.
        assertEquals(0.78, seen.size() / 65536.0, 0.03);
        assertEquals(0, repeatsOfPrevious, 5);
    }
}
