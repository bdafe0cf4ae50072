/** User agents as the real SDKs and tools send them. */
export const UA = {
  albController:
    "elbv2.k8s.aws/v2.11.0 aws-sdk-go-v2/1.32.7 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#amd64 api/elasticloadbalancingv2#1.43.2",
  externalDns:
    "ExternalDNS/v0.15.1 aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#amd64 api/route53#1.46.4",
  karpenter:
    "karpenter.sh-1.1.1 aws-sdk-go-v2/1.32.7 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#arm64 api/ec2#1.198.1",
  clusterAutoscaler: "aws-sdk-go/1.48.7 (go1.22.9; linux; amd64) cluster-autoscaler/v1.31.0",
  ebsCsi:
    "aws-sdk-go-v2/1.32.7 ua/2.1 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.198.1 ebs-csi-driver/v1.38.1",
  externalSecrets: "aws-sdk-go/1.55.5 (go1.23.4; linux; amd64)",
  fluentBit: "aws-fluent-bit-plugins/1.9.10",
  boto3:
    "Boto3/1.35.76 md/Botocore#1.35.76 ua/2.0 os/linux#6.1.115-126.197.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.76",
  javaSdk:
    "aws-sdk-java/2.29.29 Linux/6.1.115-126.197.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS Java/21.0.5 vendor/Amazon.com_Inc. md/internal io/sync http/Apache cfg/retry-mode/legacy",
  vpcCni:
    "aws-sdk-go-v2/1.30.3 ua/2.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.173.0 amazon-vpc-cni-k8s/v1.19.0",
  ecrCredentialProvider: "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) ecr-credential-provider/v1.31.0",
  githubAction:
    "aws-sdk-js/3.705.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.1 api/sts#3.705.0 m/E,N configure-aws-credentials-for-github-actions",
  ciCli:
    "aws-cli/2.22.10 md/awscrt#0.22.0 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#ecr.get-login-password",
  engineerCli:
    "aws-cli/2.22.10 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off",
  attackerCli:
    "aws-cli/2.22.10 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-49-generic md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off",
  podIdentityAgent:
    "aws-sdk-go-v2/1.30.4 ua/2.1 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/eksauth#1.7.2 eks-pod-identity-agent/v0.1.15",
};
