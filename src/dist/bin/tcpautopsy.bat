@echo off
rem tcpautopsy: starts the command in a JVM set up for a short batch job (see bin/tcpautopsy for why).
rem   JAVA_HOME  the Java installation to use (else java on the PATH); Java 17 or newer
rem   JAVA_OPTS  more JVM options, after these so that they win (e.g. -Xmx8g)
setlocal
set "APP_HOME=%~dp0.."
set "JAR=%APP_HOME%\lib\tcpautopsy.jar"
if not exist "%JAR%" (
  echo tcpautopsy: %JAR% is missing; the installation under %APP_HOME% is incomplete 1>&2
  exit /b 3
)
if defined JAVA_HOME (
  set "JAVACMD=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVACMD=java.exe"
)
if defined JAVA_HOME if not exist "%JAVACMD%" (
  echo tcpautopsy: JAVA_HOME is %JAVA_HOME%, but it has no bin\java.exe; set JAVA_HOME to a Java 17 or newer installation 1>&2
  exit /b 3
)
if not defined JAVA_HOME (
  where java.exe >nul 2>nul || (
    echo tcpautopsy: no java on the PATH and JAVA_HOME is not set; install Java 17 or newer or set JAVA_HOME 1>&2
    exit /b 3
  )
)
set "OPTS=-XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:MinHeapFreeRatio=20 -Xms512m -Xmn64m"
if defined NUMBER_OF_PROCESSORS if %NUMBER_OF_PROCESSORS% LSS 4 set "OPTS=%OPTS% -XX:MaxTenuringThreshold=0"
if /i "%~1"=="serve" set "OPTS="
echo %JAVA_OPTS% | findstr /r /c:"-Xm[sxn]" /c:"MaxRAM" /c:"HeapSize" >nul && if /i not "%~1"=="serve" set "OPTS=-XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:MinHeapFreeRatio=20"
"%JAVACMD%" %OPTS% %JAVA_OPTS% -cp "%JAR%" dev.tcpautopsy.launch.JavaVersionGate %*
exit /b %ERRORLEVEL%
