import java.nio.file.*;
import java.lang.reflect.*;
import org.apache.flink.table.api.*;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.calcite.sql.*;

/**
 * The anchor of `switchboard check`: parses a script with Apache Flink 2.3.0's own parser (the
 * statement list the SQL client reads, parse only) `runs` times in one JVM, so later runs are
 * JIT-warm; prints the statement count and the seconds of each run. Used by Scripts/bench.sh.
 */
public class ParseBench {
  public static void main(String[] args) throws Exception {
    String sql = new String(Files.readAllBytes(Paths.get(args[0])), "UTF-8");
    int runs = Integer.parseInt(args[1]);
    TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    Object parser = ((TableEnvironmentImpl) env).getParser();
    Field f = parser.getClass().getDeclaredField("calciteParserSupplier");
    f.setAccessible(true);
    Object calcite = ((java.util.function.Supplier<?>) f.get(parser)).get();
    Method parseList = calcite.getClass().getMethod("parseSqlList", String.class);
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      SqlNodeList list = (SqlNodeList) parseList.invoke(calcite, sql);
      long t1 = System.nanoTime();
      System.out.println(list.size() + "\t" + ((t1 - t0) / 1e9));
    }
    System.exit(0);
  }
}
