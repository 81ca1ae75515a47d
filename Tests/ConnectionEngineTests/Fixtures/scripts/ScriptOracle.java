import java.nio.file.*;
import java.util.*;
import java.lang.reflect.*;
import org.apache.flink.table.api.*;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.calcite.sql.*;

/** Reads base64 scripts (one per line); prints: verdict \t line \t col \t statements \t starts(line:col,...) \t message(base64). */
public class ScriptOracle {
  public static void main(String[] args) throws Exception {
    TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    Object parser = ((TableEnvironmentImpl) env).getParser();
    Field f = parser.getClass().getDeclaredField("calciteParserSupplier");
    f.setAccessible(true);
    java.util.function.Supplier<?> supplier = (java.util.function.Supplier<?>) f.get(parser);
    Object calcite = supplier.get();
    Method parseList = calcite.getClass().getMethod("parseSqlList", String.class);
    StringBuilder out = new StringBuilder();
    for (String b64 : Files.readAllLines(Paths.get(args[0]))) {
      String sql = new String(Base64.getDecoder().decode(b64), "UTF-8");
      String verdict = "accept"; int line = 0, col = 0; String msg = ""; int count = 0; StringBuilder starts = new StringBuilder();
      try {
        SqlNodeList list = (SqlNodeList) parseList.invoke(calcite, sql);
        count = list.size();
        for (SqlNode n : list) {
          if (starts.length() > 0) starts.append(',');
          starts.append(n.getParserPosition().getLineNum()).append(':').append(n.getParserPosition().getColumnNum());
        }
      } catch (InvocationTargetException e) {
        Throwable t = e.getCause();
        verdict = "reject";
        msg = t.getMessage() == null ? "" : t.getMessage();
        for (Throwable c = t; c != null; c = c.getCause()) {
          try {
            Object pos = c.getClass().getMethod("getPos").invoke(c);
            if (pos != null && line == 0) {
              line = (Integer) pos.getClass().getMethod("getLineNum").invoke(pos);
              col = (Integer) pos.getClass().getMethod("getColumnNum").invoke(pos);
            }
          } catch (Exception x) {}
          try {
            Object pos = c.getClass().getMethod("getErrorPosition").invoke(c);
            if (pos != null && line == 0) {
              line = (Integer) pos.getClass().getMethod("getLineNum").invoke(pos);
              col = (Integer) pos.getClass().getMethod("getColumnNum").invoke(pos);
            }
          } catch (Exception x) {}
          if (c.getCause() == c) break;
        }
      }
      out.append(verdict).append('\t').append(line).append('\t').append(col).append('\t').append(count).append('\t')
         .append(starts.length() == 0 ? "-" : starts.toString()).append('\t')
         .append(Base64.getEncoder().encodeToString(msg.getBytes("UTF-8"))).append('\n');
    }
    Files.write(Paths.get(args[1]), out.toString().getBytes("UTF-8"));
    System.exit(0);
  }
}
