/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/golden/render.test.ts > TAP > 0.4.24 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.24
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.24
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.24 > basic 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.24.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.4.24 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.4.24 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.24
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 3ef7aaadf702d2ad784171ce496438f61cb6e3101f6f863e83f3b6bc85da94ad
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.24
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              awk '
              BEGIN { comments = 0; single = 1 }
              {
                if ($0 == "" && !(single && NR == 1)) next
                if (comments && $0 ~ /^#/) next
                if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.4.24 reads only the first line"; exit 1 }
                if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.4.24 reads as a broken user"; exit 1 }
                colon = index($0, ":")
                hash = substr($0, colon + 1)
                if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
                  bad = NR
                  why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
                  exit 1
                }
                users++
              }
              END {
                if (bad) {
                  print "chroma-mod: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
                if (!users) {
                  print "chroma-mod: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
              }
              ' /etc/chroma-auth/htpasswd
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.basic.BasicAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_FILE
              value: /etc/chroma-auth/htpasswd
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.4.24
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`

exports[`test/golden/render.test.ts > TAP > 0.4.24 > existing-secret 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.24.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret my-credentials) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.24
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: a3453231f1dec92aa275e5ee826e60c815178252040a13bd8089f1817682c6ad
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.24
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTH_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret my-credentials) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.4.24 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.token.TokenAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.token.TokenConfigServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
            - name: CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER
              value: AUTHORIZATION
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.24 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.24
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.24
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "FALSE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.24 > token-authorization 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.24.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.24
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 97bd31fe271c1fd20835303b48e5959769aac9fbc3413554a7428f790ae2f7f1
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.24
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTH_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.4.24 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.token.TokenAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.token.TokenConfigServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER
              value: AUTHORIZATION
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.4.24
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.4.24 > token-x-chroma-token 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.24.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_x_chroma_token $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.24
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 0e77cbdeb01690d7f641fc24baf9c69fb4886cac9c0cff6ad50a7d8cfa8aaaaf
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.24
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTH_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.4.24 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.token.TokenAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.token.TokenConfigServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER
              value: X_CHROMA_TOKEN
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.4.24
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.4.6 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.6
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.6
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.6 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.6
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.6
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.6
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "FALSE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.7 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.7
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.7
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.7 > basic 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.7.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.4.7 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.4.7 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.7
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: fe7fe065b94cd1117e909ae5caee55fe834ae7d5c369506bd0603cceab6fc98b
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.7
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              awk '
              BEGIN { comments = 0; single = 1 }
              {
                if ($0 == "" && !(single && NR == 1)) next
                if (comments && $0 ~ /^#/) next
                if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.4.7 reads only the first line"; exit 1 }
                if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.4.7 reads as a broken user"; exit 1 }
                colon = index($0, ":")
                hash = substr($0, colon + 1)
                if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
                  bad = NR
                  why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
                  exit 1
                }
                users++
              }
              END {
                if (bad) {
                  print "chroma-mod: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
                if (!users) {
                  print "chroma-mod: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
              }
              ' /etc/chroma-auth/htpasswd
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.basic.BasicAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_FILE
              value: /etc/chroma-auth/htpasswd
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.4.7
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`

exports[`test/golden/render.test.ts > TAP > 0.4.7 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.7
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.7
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.7
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "FALSE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.8 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.8
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.8
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.8 > basic 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.8.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.4.8 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.4.8 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.8
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: e798f63ab8087dc0344450eaa47bbe85fea60ca878ed39c0ac6e749e56164f7d
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.8
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              awk '
              BEGIN { comments = 0; single = 1 }
              {
                if ($0 == "" && !(single && NR == 1)) next
                if (comments && $0 ~ /^#/) next
                if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.4.8 reads only the first line"; exit 1 }
                if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.4.8 reads as a broken user"; exit 1 }
                colon = index($0, ":")
                hash = substr($0, colon + 1)
                if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
                  bad = NR
                  why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
                  exit 1
                }
                users++
              }
              END {
                if (bad) {
                  print "chroma-mod: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
                if (!users) {
                  print "chroma-mod: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
              }
              ' /etc/chroma-auth/htpasswd
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.basic.BasicAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.providers.HtpasswdFileServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_FILE
              value: /etc/chroma-auth/htpasswd
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.4.8
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`

exports[`test/golden/render.test.ts > TAP > 0.4.8 > existing-secret 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.8.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret my-credentials) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.8
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 715e48b515eb8b9594ab96b5b7440e80673b9a5433e30a79b6822c18e3d784ce
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.8
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTH_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret my-credentials) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.4.8 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.token.TokenAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.token.TokenConfigServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
            - name: CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER
              value: AUTHORIZATION
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.8 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.8
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.8
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "FALSE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.4.8 > token-authorization 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.8.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.8
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 1b7b698020ac23c56d65215759459a763f21e0f279652ec976263226a9f2a995
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.8
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTH_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.4.8 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.token.TokenAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.token.TokenConfigServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER
              value: AUTHORIZATION
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.4.8
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.4.8 > token-x-chroma-token 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.4.8.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_x_chroma_token $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.8
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.8
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 6dfea78f2111b6dd61368d4aeac28dcc2181a8d38cb483ff8247bb5dd82397f6
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.8
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTH_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.4.8 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTH_PROVIDER
              value: chromadb.auth.token.TokenAuthServerProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS_PROVIDER
              value: chromadb.auth.token.TokenConfigServerAuthCredentialsProvider
            - name: CHROMA_SERVER_AUTH_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_SERVER_AUTH_TOKEN_TRANSPORT_HEADER
              value: X_CHROMA_TOKEN
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.4.8
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.5.0 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.0
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.5.0 > basic 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.5.0.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.5.0 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.5.0 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 1ecfd389f3f8352b4038ed69e9ecd135742eb03e1da4a0197dff085fcc9de171
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.0
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              awk '
              BEGIN { comments = 0; single = 0 }
              {
                if ($0 == "" && !(single && NR == 1)) next
                if (comments && $0 ~ /^#/) next
                if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.5.0 reads only the first line"; exit 1 }
                if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.5.0 reads as a broken user"; exit 1 }
                colon = index($0, ":")
                hash = substr($0, colon + 1)
                if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
                  bad = NR
                  why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
                  exit 1
                }
                users++
              }
              END {
                if (bad) {
                  print "chroma-mod: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
                if (!users) {
                  print "chroma-mod: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
              }
              ' /etc/chroma-auth/htpasswd
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.basic_authn.BasicAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS_FILE
              value: /etc/chroma-auth/htpasswd
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.5.0
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`

exports[`test/golden/render.test.ts > TAP > 0.5.0 > existing-secret 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.5.0.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret my-credentials) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 37543045136fca1ebe8fdba7f798f199dd8f4fe782517bf3ae37a4282c5cad45
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.0
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret my-credentials) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.5.0 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: AUTHORIZATION
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.5.0 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.0
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "FALSE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.5.0 > token-authorization 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.5.0.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: a041443d3e365d25081e194ca3376480eb48207f457b4ee68b57f9c53078c67c
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.0
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.5.0 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: AUTHORIZATION
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.5.0
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.5.0 > token-x-chroma-token 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.5.0.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_x_chroma_token $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 0ad26c82e1fc36d6f0f9975db5f17debe2bbebe7becc23eb6204c66bd7739ade
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.0
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.5.0 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: X_CHROMA_TOKEN
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.5.0
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.5.23 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.23
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.23
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.5.23 > basic 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.5.23.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.5.23 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.5.23 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.23
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: a373840d160b4c86d6dff6937c47cf20c3c1bf497b82a9adad0de41837a5bb19
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.23
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              awk '
              BEGIN { comments = 0; single = 0 }
              {
                if ($0 == "" && !(single && NR == 1)) next
                if (comments && $0 ~ /^#/) next
                if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.5.23 reads only the first line"; exit 1 }
                if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.5.23 reads as a broken user"; exit 1 }
                colon = index($0, ":")
                hash = substr($0, colon + 1)
                if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
                  bad = NR
                  why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
                  exit 1
                }
                users++
              }
              END {
                if (bad) {
                  print "chroma-mod: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
                if (!users) {
                  print "chroma-mod: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
              }
              ' /etc/chroma-auth/htpasswd
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.basic_authn.BasicAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS_FILE
              value: /etc/chroma-auth/htpasswd
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.5.23
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`

exports[`test/golden/render.test.ts > TAP > 0.5.23 > existing-secret 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.5.23.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret my-credentials) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.23
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 6737fd4af99a7e38dff9a28ff5d1c583f619231c2868c8031280d26a5dacfff8
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.23
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret my-credentials) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.5.23 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: Authorization
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.5.23 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.23
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.23
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "FALSE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.5.23 > token-authorization 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.5.23.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.23
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: bc2888a0b03be6d2e44077b6725f2871b950e50780285e77f9228ac610d94200
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.23
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.5.23 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: Authorization
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.5.23
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.5.23 > token-x-chroma-token 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.5.23.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_x_chroma_token $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.5.23
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.5.23
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: f8aec1a9735047c5f06d881bb4e0cbda7a9476cd6f77869c5b3da4294ca9a44c
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.5.23
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.5.23 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: X-Chroma-Token
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.5.23
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.6.3 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.6.3 > basic 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.6.3.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.6.3 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.6.3 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: d61665a81adeafd0651b28e0af1a4ff8d1e869f74ffb098b6886f62aa1c2724c
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              awk '
              BEGIN { comments = 0; single = 0 }
              {
                if ($0 == "" && !(single && NR == 1)) next
                if (comments && $0 ~ /^#/) next
                if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 0.6.3 reads only the first line"; exit 1 }
                if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 0.6.3 reads as a broken user"; exit 1 }
                colon = index($0, ":")
                hash = substr($0, colon + 1)
                if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
                  bad = NR
                  why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
                  exit 1
                }
                users++
              }
              END {
                if (bad) {
                  print "chroma-mod: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
                if (!users) {
                  print "chroma-mod: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
                  exit 1
                }
              }
              ' /etc/chroma-auth/htpasswd
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.basic_authn.BasicAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS_FILE
              value: /etc/chroma-auth/htpasswd
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.6.3
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`

exports[`test/golden/render.test.ts > TAP > 0.6.3 > existing-secret 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.6.3.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret my-credentials) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: d972c0a2fce8c529593d01021543aca03098819e8dc4ccccfd6ae8fe5b117625
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret my-credentials) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.6.3 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: Authorization
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.6.3 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "FALSE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 0.6.3 > token-authorization 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.6.3.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 5f0300aa47e0884c56a766d6d6c93c30ca05c6da81d9bd78d75e925e1ef115cb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.6.3 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: Authorization
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.6.3
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 0.6.3 > token-x-chroma-token 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 0.6.3.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_x_chroma_token $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: b2ae4ad55c478dfe00cfd5da9dcb912062037259d91bbfd50538f527b55cbbd6
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.6.3 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: X-Chroma-Token
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.6.3
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 1.0.0 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8000
    listen_address: 0.0.0.0
    persist_path: /data
    allow_reset: false
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.0.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: f72c71b7d58e75da5c043d0544bd37765b9ccaf63bef320bcb9a2e44fb0a68e4
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.0.0
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 1.0.0 > basic 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.0.0.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 1.0.0 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 1.0.0 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.0.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 2f4fff1dd614095c03642738794ce6ce7e93ccc41b286b825bbc9a637ec83013
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.0.0
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.0.0
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`

exports[`test/golden/render.test.ts > TAP > 1.0.0 > existing-secret 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.0.0.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret my-credentials) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.0.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 6e43fc701340e6f04aa59a35bdfe22512f3ec8daf245b74d4c78cdac5f520720
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.0.0
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 1.0.0 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8000
    listen_address: 0.0.0.0
    persist_path: /data
    allow_reset: false
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.0.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: f72c71b7d58e75da5c043d0544bd37765b9ccaf63bef320bcb9a2e44fb0a68e4
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.0.0
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 1.0.0 > token-authorization 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.0.0.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.0.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 3cccd93f9af299706b0f104346b95efd55b83d57c263713b427632b580ceea73
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.0.0
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.0.0
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 1.0.0 > token-x-chroma-token 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.0.0.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_x_chroma_token $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.0.0
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.0.0
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 7593d4f28e837e7982adc4a7768f84f7891ef846eb01bd5589e6052d9b28c07e
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.0.0
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.0.0
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 1.5.9 > auth-off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8000
    listen_address: 0.0.0.0
    persist_path: /data
    allow_reset: false
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: f72c71b7d58e75da5c043d0544bd37765b9ccaf63bef320bcb9a2e44fb0a68e4
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 1.5.9 > basic 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.5.9.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 1.5.9 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 1.5.9 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 049a479c9b2bc6e0925f67f5f055fb8ae22a87b117dfdb4951cc280e4761b172
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.5.9
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`

exports[`test/golden/render.test.ts > TAP > 1.5.9 > existing-secret 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.5.9.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret my-credentials) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 15d77281e61d3bd8ef7e2428633cbaf2f265f56e99523273bb3600adf05e1c05
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: my-credentials
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 1.5.9 > no-persistence 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8000
    listen_address: 0.0.0.0
    persist_path: /data
    allow_reset: false
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: f72c71b7d58e75da5c043d0544bd37765b9ccaf63bef320bcb9a2e44fb0a68e4
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: data
          emptyDir: {}
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > 1.5.9 > token-authorization 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.5.9.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 24e2249865ec0c63d23b4427cc6e6f2ca44db129d215aad89d80cd386eb19ff4
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.5.9
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > 1.5.9 > token-x-chroma-token 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.5.9.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_x_chroma_token $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 140219739335dc92824ed9e0daf3e2af879de6749f983876a8ea005a28b905d0
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.5.9
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > 0.4.24 own log config, otel, no service account 1`] = `
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  type: NodePort
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
      nodePort: 30000
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - ports:
        - port: 4317
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.4.24
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.4.24
        app.kubernetes.io/component: vector-database
    spec:
      serviceAccountName: default
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.4.24
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /custom/log.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_OTEL_COLLECTION_ENDPOINT
              value: http://otel:4317
            - name: CHROMA_OTEL_SERVICE_NAME
              value: vectors
            - name: CHROMA_OTEL_GRANULARITY
              value: all
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > 0.6.3 custom log config content 1`] = `
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 84ec0f8d477ed7eb31f642cf3a484c353f3bf2faf5ccaff2ebeed7cb71a95008
    spec:
      serviceAccountName: shared
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > 1.5.9 without auth: no proxy 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8000
    listen_address: 0.0.0.0
    persist_path: /data
    allow_reset: false
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: f72c71b7d58e75da5c043d0544bd37765b9ccaf63bef320bcb9a2e44fb0a68e4
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > 1.x everything 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    team: search
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
  annotations:
    owner: search
    iam.example/role: chroma
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    team: search
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
  annotations:
    owner: search
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
    cors_allow_origins:
      - https://app.example
    max_payload_size_bytes: 1024
    sqlitedb:
      migration_mode: validate
    open_telemetry:
      endpoint: http://otel:4317
      service_name: vec
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.5.9.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 1024;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    c: d
    team: search
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
  annotations:
    owner: search
    a: b
spec:
  type: LoadBalancer
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
      nodePort: 30080
  loadBalancerSourceRanges:
    - 10.0.0.0/8
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    team: search
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
  annotations:
    owner: search
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - ports:
        - port: 4317
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    team: search
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
  annotations:
    owner: search
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        tier: db
        team: search
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        prometheus.io/scrape: "false"
        chroma-mod.io/config-checksum: 70a0448a92d79e9c73f99869a764002c2a4e0505af881df6b1daa39d270711d3
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        supplementalGroups:
          - 5
        seccompProfile:
          type: RuntimeDefault
      imagePullSecrets:
        - name: regcred
      terminationGracePeriodSeconds: 30
      nodeSelector:
        zone: a
      tolerations:
        - key: k
          operator: Exists
          effect: NoSchedule
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution: []
      priorityClassName: high
      containers:
        - name: chroma
          image: registry.example/chroma:1.5.9-patched
          imagePullPolicy: Always
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
            - name: RUST_LOG
              value: info
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              add:
                - NET_BIND_SERVICE
              drop:
                - ALL
            seccompProfile:
              type: RuntimeDefault
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              add:
                - NET_BIND_SERVICE
              drop:
                - ALL
            seccompProfile:
              type: RuntimeDefault
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        storageClassName: fast
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: vectors
  namespace: search
  labels:
    team: search
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
  annotations:
    owner: search
    x: "y"
spec:
  ingressClassName: nginx
  tls:
    - secretName: tls
      hosts:
        - chroma.example
  rules:
    - host: chroma.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: vectors
                port:
                  number: 80
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      team: search
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.5.9
      app.kubernetes.io/component: vector-database
    annotations:
      owner: search
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > network policy: egress open 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > network policy: listed clients, configured endpoints, extra egress 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
    open_telemetry:
      endpoint: https://otel.example
      service_name: vectors
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates in front of Chroma 1.5.9.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
        - podSelector:
            matchLabels:
              app: rag
        - namespaceSelector:
            matchLabels:
              team: ml
          podSelector:
            matchExpressions:
              - key: role
                operator: In
                values:
                  - api
        - ipBlock:
            cidr: 10.20.0.0/16
      ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - ports:
        - port: 443
          protocol: TCP
    - to:
        - ipBlock:
            cidr: 10.0.0.0/8
      ports:
        - port: 9000
          protocol: TCP
        - protocol: UDP
    - to:
        - namespaceSelector: {}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 317d4af5757d6d6ef56635c485558bd5c04840d2817bff2579e457d702813cae
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.5.9
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > network policy: off 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 9025bd719b8ffccf752899b87d5037d4ef4f033b55f042fbcd3565a31868dbcb
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 0.0.0.0
            - "--port"
            - "8000"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > tls: cert-manager, 1.x without auth 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: serves TLS in front of Chroma 1.5.9.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      # No auth (chromadb.auth.enabled: false): the proxy serves TLS only.
      server {
        listen 8000 ssl;
        ssl_certificate /etc/chroma-tls/tls.crt;
        ssl_certificate_key /etc/chroma-tls/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
        ssl_prefer_server_ciphers off;
        ssl_session_tickets off;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          # no auth
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    # No auth: no credentials to check.
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: e19dea3192c92db0f3225485b21ea359126429de641bef577f057eba8ffa7325
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: tls
              mountPath: /etc/chroma-tls
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: tls
          secret:
            secretName: vectors-tls
            items:
              - key: tls.crt
                path: tls.crt
              - key: tls.key
                path: tls.key
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: vectors-tls
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  secretName: vectors-tls
  commonName: vectors.search.svc
  dnsNames:
    - vectors
    - vectors.search
    - vectors.search.svc
    - vectors.search.svc.cluster.local
    - localhost
  ipAddresses:
    - 127.0.0.1
  usages:
    - server auth
    - digital signature
    - key encipherment
  privateKey:
    algorithm: RSA
    size: 2048
    rotationPolicy: Always
  issuerRef:
    name: internal-ca
    kind: ClusterIssuer
    group: cert-manager.io
# generated secrets
[]

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > tls: generated, 0.x with token auth 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
data:
  log_config.yaml: |
    version: 1
    disable_existing_loggers: false
    formatters:
      default:
        format: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
    handlers:
      console:
        class: logging.StreamHandler
        formatter: default
        stream: ext://sys.stdout
    root:
      level: WARNING
      handlers: [console]
    loggers:
      chromadb:
        level: INFO
      uvicorn:
        level: INFO
      uvicorn.access:
        level: WARNING
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates and serves TLS in front of Chroma 0.6.3.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 0;
      default_type application/json;
      # Defines $chroma_credentials_ok: 1 when the request carries the token, byte for byte (see start.sh).
      include /tmp/nginx/chroma-token.conf;
      map $request_method $chroma_preflight {
        OPTIONS 1;
        default 0;
      }
      server {
        listen 8000 ssl;
        ssl_certificate /etc/chroma-tls/tls.crt;
        ssl_certificate_key /etc/chroma-tls/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
        ssl_prefer_server_ciphers off;
        ssl_session_tickets off;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          set $chroma_allowed "$chroma_credentials_ok$chroma_preflight";
          if ($chroma_allowed = "00") {
            return 401 '{"error":"Unauthorized","message":"missing or invalid token"}\\n';
          }
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    printf '%s' "$CHROMA_AUTH_TOKEN" | od -An -v -tx1 | awk '
    BEGIN { n = 0 }
    { for (i = 1; i <= NF; i++) b[++n] = $i "" }
    function fail(why) {
      print "chroma-mod auth proxy: the token (key token of Secret vectors-auth) " why ". Fix: put a token of 1 to 4096 bytes with no control characters (letters, digits and punctuation are safest) in the Secret; the pod restarts with it." > "/dev/stderr"
      exit 1
    }
    END {
      if (n == 0) fail("is empty")
      if (n > 4096) fail("is " n " bytes long; the proxy accepts at most 4096")
      for (i = 1; i <= n; i++) {
        if (b[i] < "20" || b[i] == "7f") {
          hint = (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : ""
          fail("has a control character (0x" b[i] ") at byte " i " of " n hint ", which cannot be sent in an HTTP header")
        }
      }
      if (b[1] == "20" || b[n] == "20") fail("starts or ends with a space, which HTTP strips from a header value")
      all = ""
      ones = ""
      k = 0
      for (start = 1; start <= n; start += 900) {
        k++
        re = "(?s)^Bearer\\\\x20"
        if (start > 1) re = re ".{" (start - 1) "}"
        for (i = start; i < start + 900 && i <= n; i++) re = re "\\\\x" b[i]
        if (i > n) re = re "\\\\z"
        printf "map $http_authorization $chroma_token_%d {\\n  default 0;\\n  \\"~%s\\" 1;\\n}\\n", k, re
        all = all "$chroma_token_" k
        ones = ones "1"
      }
      printf "map \\"%s\\" $chroma_credentials_ok {\\n  default 0;\\n  %s 1;\\n}\\n", all, ones
    }
    ' > /tmp/nginx/chroma-token.conf
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 0.6.3
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 0.6.3
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: c4ecad3ec59a4f9cb9f725fb809b0828f72039917f7574f21e8606582902f275
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:0.6.3
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - "-c"
            - |
              set -eu
              printf '%s' "$CHROMA_SERVER_AUTHN_CREDENTIALS" | od -An -v -tx1 | awk '
              BEGIN { n = 0 }
              { for (i = 1; i <= NF; i++) b[++n] = $i "" }
              function fail(why) {
                print "chroma-mod: the token (key token of Secret vectors-auth) " why ". Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it." > "/dev/stderr"
                exit 1
              }
              END {
                if (n == 0) fail("is empty")
                for (i = 1; i <= n; i++) {
                  if (b[i] < "21" || b[i] > "7e") {
                    hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
                    fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma 0.6.3 does not accept in a token")
                  }
                }
              }'
              exec "$@"
            - sh
            - uvicorn
          args:
            - chromadb.app:app
            - "--workers"
            - "1"
            - "--host"
            - 127.0.0.1
            - "--port"
            - "8001"
            - "--proxy-headers"
            - "--log-config"
            - /etc/chroma/log_config.yaml
            - "--timeout-keep-alive"
            - "30"
          env:
            - name: HOME
              value: /tmp
            - name: IS_PERSISTENT
              value: "TRUE"
            - name: PERSIST_DIRECTORY
              value: /chroma/chroma
            - name: ALLOW_RESET
              value: "FALSE"
            - name: ANONYMIZED_TELEMETRY
              value: "FALSE"
            - name: ORT_DISABLE_TELEMETRY
              value: "1"
            - name: CHROMA_API_IMPL
              value: chromadb.api.segment.SegmentAPI
            - name: CHROMA_SERVER_CORS_ALLOW_ORIGINS
              value: "[]"
            - name: CHROMA_SERVER_AUTHN_PROVIDER
              value: chromadb.auth.token_authn.TokenAuthenticationServerProvider
            - name: CHROMA_SERVER_AUTHN_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
            - name: CHROMA_AUTH_TOKEN_TRANSPORT_HEADER
              value: Authorization
          startupProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: 8000
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /chroma/chroma
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          env:
            - name: CHROMA_AUTH_TOKEN
              valueFrom:
                secretKeyRef:
                  name: vectors-auth
                  key: token
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v1/heartbeat
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: tls
              mountPath: /etc/chroma-tls
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: tls
          secret:
            secretName: vectors-tls
            items:
              - key: tls.crt
                path: tls.crt
              - key: tls.key
                path: tls.key
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.6.3
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    token:
      random:
        length: 32
- metadata:
    name: vectors-tls
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 0.6.3
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: kubernetes.io/tls
  generate: {}
  certificate:
    commonName: vectors.search.svc
    dnsNames:
      - vectors
      - vectors.search
      - vectors.search.svc
      - vectors.search.svc.cluster.local
      - chroma.internal.example
      - localhost
    ipAddresses:
      - 127.0.0.1
    days: 825

`

exports[`test/golden/render.test.ts > TAP > ingress, service, scheduling and every optional branch > tls: the user's Secret, 1.x basic auth 1`] = `
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: vectors-config
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
data:
  config.yaml: |
    port: 8001
    listen_address: 127.0.0.1
    persist_path: /data
    allow_reset: false
  nginx.conf: |
    # Rendered by chroma-mod for instance vectors: authenticates and serves TLS in front of Chroma 1.5.9.
    worker_processes 1;
    pid /tmp/nginx/nginx.pid;
    error_log stderr notice;
    events {
      worker_connections 1024;
    }
    http {
      access_log off;
      server_tokens off;
      client_body_temp_path /tmp/nginx/client_body;
      proxy_temp_path /tmp/nginx/proxy;
      fastcgi_temp_path /tmp/nginx/fastcgi;
      uwsgi_temp_path /tmp/nginx/uwsgi;
      scgi_temp_path /tmp/nginx/scgi;
      client_max_body_size 41943040;
      default_type application/json;
      map $request_method $chroma_auth_realm {
        OPTIONS off;
        default "chroma";
      }
      server {
        listen 8000 ssl;
        ssl_certificate /etc/chroma-tls/tls.crt;
        ssl_certificate_key /etc/chroma-tls/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
        ssl_prefer_server_ciphers off;
        ssl_session_tickets off;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_buffering off;
        proxy_read_timeout 300s;
        location = /proxy-health {
          return 200 '{"status":"ok"}\\n';
        }
        location ~ ^/api/v[12]/(heartbeat|healthcheck|version)$ {
          proxy_pass http://127.0.0.1:8001;
        }
        location / {
          auth_basic $chroma_auth_realm;
          auth_basic_user_file /etc/chroma-auth/htpasswd;
          proxy_pass http://127.0.0.1:8001;
        }
      }
    }
  start.sh: |
    # Rendered by chroma-mod for instance vectors: checks the credentials, then runs nginx (module/templates/proxy.ts says why).
    set -eu
    mkdir -p /tmp/nginx
    awk '
    BEGIN { comments = 1; single = 0 }
    {
      if ($0 == "" && !(single && NR == 1)) next
      if (comments && $0 ~ /^#/) next
      if (single && NR > 1) { bad = NR; why = "is a second user: Chroma 1.5.9 reads only the first line"; exit 1 }
      if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma 1.5.9 reads as a broken user"; exit 1 }
      colon = index($0, ":")
      hash = substr($0, colon + 1)
      if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
        bad = NR
        why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
        exit 1
      }
      users++
    }
    END {
      if (bad) {
        print "chroma-mod auth proxy: line " bad " of the htpasswd key of Secret vectors-auth " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
      if (!users) {
        print "chroma-mod auth proxy: the htpasswd key of Secret vectors-auth holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
        exit 1
      }
    }
    ' /etc/chroma-auth/htpasswd
    exec nginx -e stderr -c /etc/chroma-proxy/nginx.conf -g 'daemon off;'
---
apiVersion: v1
kind: Service
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
  ports:
    - name: http
      port: 8000
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - ports:
        - port: 8000
          protocol: TCP
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: vectors
  namespace: search
  labels:
    app.kubernetes.io/name: chroma
    app.kubernetes.io/instance: vectors
    app.kubernetes.io/version: 1.5.9
    app.kubernetes.io/component: vector-database
spec:
  replicas: 1
  serviceName: vectors
  selector:
    matchLabels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chroma
        app.kubernetes.io/instance: vectors
        app.kubernetes.io/version: 1.5.9
        app.kubernetes.io/component: vector-database
      annotations:
        chroma-mod.io/config-checksum: 7d2d5a0dfc15b08e60a5597d7c36e47cda88003601c402990ad1b16a39bc4460
    spec:
      serviceAccountName: vectors
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      terminationGracePeriodSeconds: 30
      containers:
        - name: chroma
          image: ghcr.io/chroma-core/chroma:1.5.9
          imagePullPolicy: IfNotPresent
          command:
            - dumb-init
            - "--"
            - chroma
            - run
          args:
            - /etc/chroma/config.yaml
          env:
            - name: HOME
              value: /tmp
          startupProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /api/v2/heartbeat
              port: 8000
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: data
              mountPath: /data
            - name: tmp
              mountPath: /tmp
            - name: config
              mountPath: /etc/chroma
              readOnly: true
        - name: auth-proxy
          image: docker.io/nginxinc/nginx-unprivileged:1.29-alpine
          imagePullPolicy: IfNotPresent
          command:
            - /bin/sh
            - /etc/chroma-proxy/start.sh
          ports:
            - name: http
              containerPort: 8000
              protocol: TCP
          startupProbe:
            httpGet:
              path: /proxy-health
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /proxy-health
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /api/v2/healthcheck
              port: http
              scheme: HTTPS
            initialDelaySeconds: 0
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 3
          resources: {}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            privileged: false
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/chroma-proxy
              readOnly: true
            - name: proxy-tmp
              mountPath: /tmp
            - name: auth
              mountPath: /etc/chroma-auth
              readOnly: true
            - name: tls
              mountPath: /etc/chroma-tls
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: vectors-config
        - name: tmp
          emptyDir: {}
        - name: proxy-tmp
          emptyDir: {}
        - name: auth
          secret:
            secretName: vectors-auth
            items:
              - key: htpasswd
                path: htpasswd
        - name: tls
          secret:
            secretName: my-tls
            items:
              - key: tls.crt
                path: tls.crt
              - key: tls.key
                path: tls.key
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: data
        labels:
          app.kubernetes.io/name: chroma
          app.kubernetes.io/instance: vectors
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
        volumeMode: Filesystem
# generated secrets
- metadata:
    name: vectors-auth
    namespace: search
    labels:
      app.kubernetes.io/name: chroma
      app.kubernetes.io/instance: vectors
      app.kubernetes.io/version: 1.5.9
      app.kubernetes.io/component: vector-database
    annotations:
      chroma-mod.io/keep: "true"
  type: Opaque
  generate:
    username:
      value: admin
    password:
      random:
        length: 24
    htpasswd:
      htpasswd:
        usernameKey: username
        passwordKey: password

`
